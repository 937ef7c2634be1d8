-- A user who enabled the config but has no `mcp-config-lsp` on PATH is told
-- so once (vim.notify), not left with configs that are silently unchecked.
local e2e = require('e2e')
e2e.run(function()
  local told = {}
  vim.notify = function(msg, level)
    table.insert(told, { msg = msg, level = level })
  end
  vim.lsp.config('mcp_config', { cmd = { 'mcp-config-lsp-that-is-not-installed', 'serve', '--stdio' } })
  local ws = e2e.workspace({
    ['.cursor/mcp.json'] = '{ "mcpServers": {} }\n',
    ['claude_desktop_config.json'] = '{ "mcpServers": {} }\n',
  })
  vim.cmd.edit(vim.fn.fnameescape(ws .. '/.cursor/mcp.json'))
  local first = vim.api.nvim_get_current_buf()
  vim.cmd.edit(vim.fn.fnameescape(ws .. '/claude_desktop_config.json'))
  local second = vim.api.nvim_get_current_buf()
  vim.wait(1000)
  e2e.check(#vim.lsp.get_clients({ bufnr = first }) == 0 and #vim.lsp.get_clients({ bufnr = second }) == 0,
    'no client is started for a program that is not there')
  e2e.check(#told == 1, 'told once for two config files, got ' .. #told)
  e2e.check(told[1].level == vim.log.levels.WARN
      and told[1].msg:find('mcp-config-lsp-that-is-not-installed', 1, true) ~= nil
      and told[1].msg:find('not on PATH', 1, true) ~= nil,
    'the message names the missing program: ' .. (told[1] and told[1].msg or ''))
  e2e.pass('missing binary')
end)
