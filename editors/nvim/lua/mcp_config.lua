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

local function run(client, bufnr, command, arguments, title, on_done)
  notify(title .. '…')
  client:exec_cmd({ title = title, command = command, arguments = arguments }, { bufnr = bufnr }, function(err, result)
    if err then
      notify(title .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif type(result) == 'string' then
      notify(result)
    elseif type(result) == 'table' and type(result.summary or result.message) == 'string' then
      notify(result.summary or result.message)
    end
    if on_done then
      on_done(err, result)
    end
  end)
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
function M.test_launch(name, on_done)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = target(bufnr, M.commands.test_launch)
  if not client then
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  local function go(server)
    run(client, bufnr, M.commands.test_launch, { uri, server }, 'test launch of ' .. server, on_done)
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

function M.test_launch_all(on_done)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = target(bufnr, M.commands.test_launch_all)
  if client then
    run(client, bufnr, M.commands.test_launch_all, { vim.uri_from_bufnr(bufnr) }, 'test launch of every server', on_done)
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
