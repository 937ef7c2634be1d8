-- :McpTestLaunch on the entry under the cursor launches a real MCP server
-- (@modelcontextprotocol/server-everything over stdio) and the result comes
-- back as a launch/* diagnostic on that entry; :McpTestLaunchAll also
-- reports a broken one. Code lenses ("▶ Test launch") are shown and run.
local e2e = require('e2e')
e2e.run(function()
  local everything = assert(os.getenv('MCP_SERVER_EVERYTHING'), 'MCP_SERVER_EVERYTHING is not set')
  local ws = e2e.workspace({
    ['.cursor/mcp.json'] = table.concat({
      '{', --                                                              1
      '  "mcpServers": {', --                                              2
      '    "everything": {', --                                            3
      '      "command": ' .. vim.json.encode(everything), --              4
      '    },', --                                                         5
      '    "broken": {', --                                                6
      '      "command": "sh",', --                                         7
      '      "args": ["-c", "echo boom >&2; exit 3"]', --                  8
      '    }', --                                                          9
      '  }', --                                                            10
      '}', --                                                              11
      '',
    }, '\n'),
  })
  local bufnr, client = e2e.open(ws .. '/.cursor/mcp.json')

  -- The server under the cursor, from the server's document symbols (what
  -- :McpTestLaunch uses).
  local mcp = require('mcp_config')
  local res = client:request_sync('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, 5000, bufnr)
  local symbols = res and res.result or {}
  e2e.check(#symbols == 2, 'one document symbol per server (' .. #symbols .. ')')
  local at = function(line, col)
    local s = mcp.server_at(symbols, { line = line - 1, character = col - 1 })
    return s and s.name
  end
  e2e.check(at(4, 9) == 'everything', 'cursor on line 4 is in `everything`')
  e2e.check(at(8, 9) == 'broken', 'cursor on line 8 is in `broken`')
  e2e.check(at(1, 1) == nil, 'cursor on line 1 is in no server')
  e2e.check(vim.tbl_contains(vim.fn.getcompletion('McpTestLaunch ', 'cmdline'), 'broken'), ':McpTestLaunch completes server names')

  if not e2e.supports(client, 'mcp-config-lsp.testLaunch') then
    e2e.skip('the server has no mcp-config-lsp.testLaunch command yet')
  end

  local messages = {}
  local notify = vim.notify
  vim.notify = function(msg, ...)
    table.insert(messages, msg)
    return notify(msg, ...)
  end

  -- The entry under the cursor; the server's $/progress is echoed.
  local echoed = {}
  local echo = vim.api.nvim_echo
  vim.api.nvim_echo = function(chunks, ...)
    table.insert(echoed, chunks[1][1])
    return echo(chunks, ...)
  end
  vim.api.nvim_win_set_cursor(0, { 4, 8 })
  vim.cmd('McpTestLaunch')
  local ok = e2e.wait(60000, function()
    return e2e.find(bufnr, 'launch/ok')
  end, 'launch/ok after :McpTestLaunch; got: ' .. e2e.describe(bufnr))
  e2e.check(ok.lnum + 1 >= 3 and ok.lnum + 1 <= 5, 'launch/ok is on the everything entry (line ' .. (ok.lnum + 1) .. '): ' .. ok.message)
  e2e.check(e2e.find(bufnr, 'launch/exited') == nil, 'only the entry under the cursor was launched')
  e2e.check(vim.iter(echoed):any(function(m)
    return m:find('Test launch of everything', 1, true) ~= nil
  end), 'the server\'s progress is echoed: ' .. table.concat(echoed, ' | '))

  -- A name given to :McpTestLaunch wins over the cursor.
  local before = e2e.find(bufnr, 'launch/exited')
  vim.cmd('McpTestLaunch broken')
  local exited1 = e2e.wait(60000, function()
    return e2e.find(bufnr, 'launch/exited')
  end, function()
    return 'launch/exited after :McpTestLaunch broken; got: ' .. e2e.describe(bufnr)
  end)
  e2e.check(before == nil and exited1.lnum + 1 >= 6, ':McpTestLaunch broken launched `broken` (cursor was in `everything`)')

  if e2e.supports(client, 'mcp-config-lsp.testLaunchAll') then
    vim.cmd('McpTestLaunchAll')
    local all = e2e.wait(60000, function()
      return vim.iter(messages):find(function(m)
        return m:find('everything: ✓', 1, true) and m:find('broken: ✗', 1, true)
      end)
    end, function()
      return 'one result line for both servers after :McpTestLaunchAll; messages: ' .. table.concat(messages, ' | ')
    end)
    e2e.check(true, ':McpTestLaunchAll launched both: ' .. all)
    local exited = e2e.find(bufnr, 'launch/exited')
    e2e.check(exited and exited.lnum + 1 >= 6 and exited.lnum + 1 <= 9, 'launch/exited is on the broken entry: ' .. (exited and exited.message or 'none'))
  else
    e2e.log('  note: no mcp-config-lsp.testLaunchAll on this server')
  end

  if client.server_capabilities.codeLensProvider then
    local lenses = e2e.wait(15000, function()
      local l = vim.lsp.codelens.get(bufnr)
      return #l > 0 and l
    end, 'code lenses')
    local titles = {}
    for _, l in ipairs(lenses) do
      table.insert(titles, string.format('%d:%s', l.range.start.line + 1, l.command and l.command.title or '?'))
    end
    e2e.log('  code lenses: ' .. table.concat(titles, ' | '))
    e2e.check(#lenses >= 2, 'a code lens per server')
    e2e.check(vim.iter(lenses):any(function(l)
      return l.command and l.command.title:find('✓', 1, true) ~= nil
    end), 'a lens shows the last result (✓ …)')

    -- Run the "broken" entry's lens, as a user would (the first one offered).
    messages = {}
    vim.ui.select = function(items, _, on_choice)
      on_choice(items[1], 1)
    end
    vim.api.nvim_win_set_cursor(0, { 6, 0 })
    vim.lsp.codelens.run()
    e2e.wait(60000, function()
      return vim.iter(messages):any(function(m)
        return m:find('broken: ✗', 1, true) ~= nil
      end)
    end, function()
      return 'the lens launch of broken to report; messages: ' .. table.concat(messages, ' | ')
    end)
    e2e.check(true, 'the lens ran the launch of broken: ' .. messages[#messages])
  else
    e2e.log('  note: the server offers no code lenses yet')
  end
  e2e.pass('test launch')
end)
