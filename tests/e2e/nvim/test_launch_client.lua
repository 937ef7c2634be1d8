-- The client side of test launches, against tests/e2e/fake/launch-proxy.mjs
-- (a pass-through to the real server that answers testLaunch/testLaunchAll
-- itself when the server lacks them): :McpTestLaunch sends [uri, the server
-- under the cursor], :McpTestLaunchAll sends [uri], the server's
-- $/progress reaches the user, and code lenses are shown and run.
local e2e = require('e2e')
e2e.run(function()
  local root = os.getenv('E2E_ROOT')
  local log = vim.fn.tempname()
  vim.env.FAKE_LAUNCH_LOG = log
  vim.env.FAKE_LAUNCH_REAL_BIN = vim.fn.exepath('mcp-config-lsp')
  vim.lsp.config('mcp_config', { cmd = { 'node', root .. '/tests/e2e/fake/launch-proxy.mjs', 'serve', '--stdio' } })

  local ws = e2e.workspace({
    ['.cursor/mcp.json'] = '{\n  "mcpServers": {\n    "github": {\n      "command": "npx",\n      "args": ["-y", "@modelcontextprotocol/server-github"]\n    },\n    "everything": {\n      "command": "npx",\n      "args": ["-y", "@modelcontextprotocol/server-everything"]\n    }\n  }\n}\n',
  })
  local bufnr = e2e.open(ws .. '/.cursor/mcp.json')
  local uri = vim.uri_from_bufnr(bufnr)
  local function calls()
    local f = io.open(log)
    if not f then
      return {}
    end
    local out = {}
    for line in f:lines() do
      local entry = vim.json.decode(line)
      if entry.command then
        table.insert(out, entry)
      end
    end
    f:close()
    return out
  end

  -- What the real server offers (the stand-in logs it at initialize).
  local real = e2e.wait(10000, function()
    local f = io.open(log)
    local first = f and f:read('*l')
    if f then
      f:close()
    end
    return first and vim.json.decode(first).real
  end, 'the stand-in to start')
  if vim.tbl_contains(real.commands, 'mcp-config-lsp.testLaunch') then
    e2e.skip('the real server has mcp-config-lsp.testLaunch: test_launch.lua tests the real thing')
  end

  local progress = {}
  vim.api.nvim_create_autocmd('LspProgress', {
    callback = function(args)
      local v = args.data.params.value
      table.insert(progress, v.kind .. ':' .. (v.kind == 'begin' and v.title or v.message or ''))
    end,
  })
  local echoed = {}
  local echo = vim.api.nvim_echo
  vim.api.nvim_echo = function(chunks, ...)
    table.insert(echoed, chunks[1][1])
    return echo(chunks, ...)
  end

  -- Cursor inside "everything" (line 8): that entry, not the first one.
  vim.api.nvim_win_set_cursor(0, { 8, 10 })
  vim.cmd('McpTestLaunch')
  local c = e2e.wait(10000, function()
    return calls()[1]
  end, 'the testLaunch call')
  e2e.check(c.command == 'mcp-config-lsp.testLaunch', 'command mcp-config-lsp.testLaunch')
  e2e.check(c.arguments[1] == uri and c.arguments[2] == 'everything', 'arguments [uri, "everything"]: ' .. vim.inspect(c.arguments))
  e2e.wait(10000, function()
    return vim.tbl_contains(progress, 'end:done')
  end, function()
    return 'the $/progress end; got ' .. table.concat(progress, ', ')
  end)
  e2e.check(progress[1] == 'begin:Test launch (fake) of everything', 'progress begins with the server\'s title: ' .. table.concat(progress, ', '))
  e2e.check(vim.iter(echoed):any(function(m)
    return m:find('tools/list', 1, true) ~= nil
  end), 'progress echoed to the user: ' .. table.concat(echoed, ' | '))

  -- An explicit name wins over the cursor.
  vim.cmd('McpTestLaunch github')
  e2e.wait(10000, function()
    return calls()[2]
  end, 'the second testLaunch call')
  e2e.check(calls()[2].arguments[2] == 'github', ':McpTestLaunch github sends "github"')

  vim.cmd('McpTestLaunchAll')
  e2e.wait(10000, function()
    return calls()[3]
  end, 'the testLaunchAll call')
  local all = calls()[3]
  e2e.check(all.command == 'mcp-config-lsp.testLaunchAll' and #all.arguments == 1 and all.arguments[1] == uri, 'testLaunchAll sends [uri]')

  -- Code lenses (the stand-in serves "▶ Test launch (fake)" ones): shown
  -- after attach by plugin/mcp_config.lua, and runnable.
  local lenses = e2e.wait(10000, function()
    local l = vim.lsp.codelens.get(bufnr)
    return #l == 2 and l
  end, function()
    return 'two code lenses; got ' .. vim.inspect(vim.lsp.codelens.get(bufnr))
  end)
  e2e.check(lenses[1].command.title == '▶ Test launch (fake)', 'lens title: ' .. lenses[1].command.title)
  vim.api.nvim_win_set_cursor(0, { 3, 0 }) -- the "github" lens
  vim.lsp.codelens.run()
  e2e.wait(10000, function()
    return calls()[4]
  end, 'the call from the code lens')
  e2e.check(calls()[4].arguments[2] == 'github' and calls()[4].arguments[1] == uri, 'the github lens launches [uri, "github"]')
  e2e.pass('test launch, client side')
end)
