--- Commands for mcp-config-lsp: test-launch the server entry under the
--- cursor, or every server of the file. Used by plugin/mcp_config.lua.
local M = {}

M.client_name = 'mcp_config'
M.commands = {
  test_launch = 'mcp-config-lsp.testLaunch',
  test_launch_all = 'mcp-config-lsp.testLaunchAll',
}

local function notify(msg, level)
  vim.notify('mcp-config-lsp: ' .. msg, level or vim.log.levels.INFO)
end

--- Our client attached to the buffer, if any.
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or 0, name = M.client_name })[1]
end

local function has_command(client, command)
  local p = client.server_capabilities.executeCommandProvider
  return type(p) == 'table' and vim.list_contains(p.commands or {}, command)
end

local function before(a, b)
  return a.line < b.line or (a.line == b.line and a.character < b.character)
end

--- The server symbol (one per server entry) whose range contains `pos`
--- (0-based line, UTF-16/offset-encoding character); the innermost if nested.
function M.server_at(symbols, pos)
  local best
  for _, s in ipairs(symbols or {}) do
    local r = s.range or (s.location and s.location.range)
    if r and not before(pos, r.start) and not before(r['end'], pos) then
      local br = best and (best.range or best.location.range)
      if not best or before(br.start, r.start) then
        best = s
      end
    end
  end
  return best
end

local function cursor_position(bufnr, client)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local line = vim.api.nvim_buf_get_lines(bufnr, row - 1, row, false)[1] or ''
  local ok, character = pcall(vim.str_utfindex, line, client.offset_encoding, math.min(col, #line), false)
  if not ok then -- Neovim 0.10's signature
    character = vim.str_utfindex(line, math.min(col, #line))
  end
  return { line = row - 1, character = character }
end

--- One line for what `workspace/executeCommand` returned:
--- `{ results = { { server, code, summary, ... } } }`.
function M.describe(result)
  if type(result) ~= 'table' then
    return type(result) == 'string' and result or nil
  end
  if type(result.results) == 'table' then
    local parts = {}
    for _, r in ipairs(result.results) do
      table.insert(parts, string.format('%s: %s', r.server or '?', r.summary or r.code or '?'))
    end
    return #parts > 0 and table.concat(parts, '; ') or nil
  end
  return result.summary or result.message
end

--- After a launch: pull diagnostics again and refresh the lenses. The server
--- asks pull clients to re-pull (`workspace/diagnostic/refresh`), which
--- Neovim does not support, so the result would show only after the next edit.
function M.after_launch(client, bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) then
    return
  end
  if client:supports_method('textDocument/diagnostic') then
    client:request('textDocument/diagnostic', { textDocument = vim.lsp.util.make_text_document_params(bufnr) }, nil, bufnr)
  end
  if client.server_capabilities.codeLensProvider then
    vim.lsp.codelens.refresh({ bufnr = bufnr })
  end
end

--- Run a launch command on the server. (`client:exec_cmd` comes here through
--- the handlers in `vim.lsp.commands` below; this sends the request itself.)
function M.run(client, bufnr, command, arguments, title, on_done)
  notify(title .. '…')
  local params = { command = command, arguments = arguments }
  client:request('workspace/executeCommand', params, function(err, result)
    if err then
      notify(title .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    else
      local text = M.describe(result)
      if text then
        notify(text)
      end
    end
    M.after_launch(client, bufnr)
    if on_done then
      on_done(err, result)
    end
  end, bufnr)
end

-- Every way of running a launch (:McpTestLaunch, :McpTestLaunchAll, a
-- "▶ Test launch" code lens, `client:exec_cmd`) comes through here: result
-- message, diagnostics pulled again, lenses refreshed.
for _, command in ipairs({ M.commands.test_launch, M.commands.test_launch_all }) do
  vim.lsp.commands[command] = function(cmd, ctx)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if client then
      local args = cmd.arguments or {}
      local what = command == M.commands.test_launch and tostring(args[2]) or 'every server'
      M.run(client, ctx.bufnr, command, args, 'test launch of ' .. what)
    end
  end
end

local function target(bufnr, command)
  local client = M.client(bufnr)
  if not client then
    notify('no mcp-config-lsp client for this buffer (is it an MCP config file?)', vim.log.levels.WARN)
    return
  end
  if not has_command(client, command) then
    notify('this server cannot test-launch yet (no ' .. command .. '): update mcp-config-lsp', vim.log.levels.WARN)
    return
  end
  return client
end

--- Test-launch one server: `name`, else the entry under the cursor, else ask.
function M.test_launch(name)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = target(bufnr, M.commands.test_launch)
  if not client then
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  local function go(server)
    client:exec_cmd({ title = 'Test launch ' .. server, command = M.commands.test_launch, arguments = { uri, server } }, { bufnr = bufnr })
  end
  if name and name ~= '' then
    return go(name)
  end
  local pos = cursor_position(bufnr, client)
  client:request('textDocument/documentSymbol', { textDocument = { uri = uri } }, function(err, symbols)
    if err then
      return notify('document symbols: ' .. err.message, vim.log.levels.ERROR)
    end
    local here = M.server_at(symbols, pos)
    if here then
      return go(here.name)
    end
    local names = vim.tbl_map(function(s)
      return s.name
    end, symbols or {})
    if #names == 0 then
      return notify('this file has no MCP servers')
    elseif #names == 1 then
      return go(names[1])
    end
    vim.ui.select(names, { prompt = 'Test launch which server?' }, function(choice)
      if choice then
        go(choice)
      end
    end)
  end, bufnr)
end

function M.test_launch_all()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = target(bufnr, M.commands.test_launch_all)
  if client then
    client:exec_cmd({
      title = 'Test launch of every server',
      command = M.commands.test_launch_all,
      arguments = { vim.uri_from_bufnr(bufnr) },
    }, { bufnr = bufnr })
  end
end

--- Server names of the buffer (synchronously, for command-line completion).
function M.server_names(bufnr)
  local client = M.client(bufnr)
  if not client then
    return {}
  end
  local res = client:request_sync('textDocument/documentSymbol', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr or 0) },
  }, 1000, bufnr)
  return vim.tbl_map(function(s)
    return s.name
  end, (res and res.result) or {})
end

return M
