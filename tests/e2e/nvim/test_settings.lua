-- Settings given the Neovim way (vim.lsp.config ... settings.mcpConfigLsp)
-- reach the server: ignored rules are not reported.
local e2e = require('e2e')
e2e.run(function()
  vim.lsp.config('mcp_config', { settings = { mcpConfigLsp = { rules = { ignore = { 'schema/' } } } } })
  local ws = e2e.workspace({
    ['.cursor/mcp.json'] = '{\n  "mcpServers": {\n    "files": {\n      "comand": "npx",\n      "args": ["-y", "server-x"],\n    }\n  }\n}\n',
  })
  local bufnr = e2e.open(ws .. '/.cursor/mcp.json')
  e2e.wait(15000, function()
    return e2e.find(bufnr, 'syntax/jsonc-not-accepted')
  end, 'syntax/jsonc-not-accepted')
  vim.wait(1000)
  e2e.check(e2e.find(bufnr, 'schema/unknown-key') == nil and e2e.find(bufnr, 'schema/missing-field') == nil,
    'schema/ rules ignored through settings; got: ' .. e2e.describe(bufnr))
  e2e.pass('settings')
end)
