-- A quick fix through the user's path (vim.lsp.buf.code_action) changes the
-- text, and the diagnostic goes away.
local e2e = require('e2e')
e2e.run(function()
  local ws = e2e.workspace({
    ['.cursor/mcp.json'] = '{\n  "mcpServers": {\n    "files": {\n      "comand": "npx",\n      "args": ["-y", "server-x"],\n    }\n  }\n}\n',
  })
  local bufnr = e2e.open(ws .. '/.cursor/mcp.json')
  local key = e2e.wait(15000, function()
    return e2e.find(bufnr, 'schema/unknown-key')
  end, 'schema/unknown-key')

  -- Cursor on `comand`, ask for code actions, apply the rename.
  vim.api.nvim_win_set_cursor(0, { key.lnum + 1, key.col + 1 })
  local titles = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(titles, action.title)
      return action.kind == 'quickfix' and action.title:find('command', 1, true) ~= nil
    end,
  })
  e2e.wait(10000, function()
    return vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1]:find('"command"', 1, true)
  end, 'the quick fix to rename `comand` (actions offered: ' .. table.concat(titles, ' | ') .. ')')
  e2e.log('  actions offered: ' .. table.concat(titles, ' | '))
  e2e.check(vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1] == '      "command": "npx",', 'line 4 now reads "command"')
  e2e.wait(10000, function()
    return e2e.find(bufnr, 'schema/unknown-key') == nil
  end, 'schema/unknown-key to go away; got: ' .. e2e.describe(bufnr))
  e2e.check(true, 'unknown-key diagnostic cleared')

  -- The trailing comma's fix, too.
  local comma = e2e.wait(10000, function()
    return e2e.find(bufnr, 'syntax/jsonc-not-accepted')
  end, 'syntax/jsonc-not-accepted')
  vim.api.nvim_win_set_cursor(0, { comma.lnum + 1, comma.col })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.kind == 'quickfix' and action.title:lower():find('comma', 1, true) ~= nil
    end,
  })
  e2e.wait(10000, function()
    return vim.api.nvim_buf_get_lines(bufnr, 4, 5, false)[1] == '      "args": ["-y", "server-x"]'
  end, 'the trailing comma to be removed; line 5: ' .. vim.api.nvim_buf_get_lines(bufnr, 4, 5, false)[1])
  e2e.check(true, 'trailing comma removed')
  e2e.pass('code actions')
end)
