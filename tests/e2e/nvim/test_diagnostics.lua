-- A broken .cursor/mcp.json: diagnostics with our codes arrive on the right
-- lines; the client attaches only to MCP configs; filetypes are right.
local e2e = require('e2e')
e2e.run(function()
  local ws = e2e.workspace({
    ['.cursor/mcp.json'] = table.concat({
      '{', --                                   1
      '  "mcpServers": {', --                   2
      '    "files": {', --                      3
      '      "comand": "npx",', --              4  unknown key
      '      "args": ["-y", "server-x"],', --   5  trailing comma
      '    }', --                               6
      '  }', --                                 7
      '}', --                                   8
      '',
    }, '\n'),
    ['.vscode/mcp.json'] = '// comments are fine here\n{ "servers": {} }\n',
    ['package.json'] = '{ "name": "x", }\n',
  })

  local bufnr, client = e2e.open(ws .. '/.cursor/mcp.json')
  e2e.check(vim.bo[bufnr].filetype == 'json', '.cursor/mcp.json is strict json (filetype ' .. vim.bo[bufnr].filetype .. ')')
  e2e.check(client.config.cmd[1] == 'mcp-config-lsp', 'started `mcp-config-lsp serve --stdio`')
  e2e.check(client.root_dir == ws, 'root is the project (' .. tostring(client.root_dir) .. ')')

  e2e.wait(15000, function()
    return e2e.find(bufnr, 'syntax/jsonc-not-accepted') and e2e.find(bufnr, 'schema/unknown-key')
  end, 'syntax/jsonc-not-accepted and schema/unknown-key; got: ' .. e2e.describe(bufnr))
  e2e.log('  diagnostics: ' .. e2e.describe(bufnr))
  local comma = e2e.find(bufnr, 'syntax/jsonc-not-accepted')
  local key = e2e.find(bufnr, 'schema/unknown-key')
  e2e.check(comma.lnum + 1 == 5, 'trailing comma reported on line 5 (got ' .. (comma.lnum + 1) .. ')')
  e2e.check(comma.severity == vim.diagnostic.severity.ERROR, 'trailing comma is an error')
  e2e.check(key.lnum + 1 == 4 and key.col == 6, 'unknown key reported at 4:7 (got ' .. (key.lnum + 1) .. ':' .. (key.col + 1) .. ')')
  e2e.check(key.message:find('command', 1, true) ~= nil, 'unknown-key message suggests `command`: ' .. key.message)

  -- A comment-accepting config: jsonc, same client (reuse_client).
  local vbuf, vclient = e2e.open(ws .. '/.vscode/mcp.json')
  e2e.check(vim.bo[vbuf].filetype == 'jsonc', '.vscode/mcp.json is jsonc')
  e2e.check(vclient.id == client.id, 'one server process for every config')
  vim.wait(1500)
  e2e.check(e2e.find(vbuf, 'syntax/jsonc-not-accepted') == nil, 'no jsonc complaint in VS Code\'s mcp.json: ' .. e2e.describe(vbuf))

  -- Not an MCP config: no client.
  vim.cmd.edit(vim.fn.fnameescape(ws .. '/package.json'))
  local pbuf = vim.api.nvim_get_current_buf()
  vim.wait(1000)
  e2e.check(#vim.lsp.get_clients({ bufnr = pbuf, name = 'mcp_config' }) == 0, 'package.json gets no mcp_config client')
  -- And if a client attaches the server to every JSON file (the Helix and
  -- Zed recipes do), it stays quiet on files that are not MCP configs.
  vim.lsp.buf_attach_client(pbuf, client.id)
  vim.wait(2000)
  e2e.check(#e2e.diagnostics(pbuf) == 0, 'the server says nothing about package.json: ' .. e2e.describe(pbuf))

  e2e.pass('diagnostics')
end)
