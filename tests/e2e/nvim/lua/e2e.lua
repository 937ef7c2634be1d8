-- Helpers for the Neovim end-to-end tests: each test_*.lua runs in its own
-- headless Neovim, prints what it checks, and ends with :qa (pass),
-- :cquit 1 (fail) or exit code 77 (skipped: the server lacks the feature).
local M = {}

local function log(msg)
  io.stderr:write(msg .. '\n')
end
M.log = log

function M.fail(msg)
  log('FAIL: ' .. msg)
  vim.cmd('cquit 1')
end

function M.skip(msg)
  log('SKIP: ' .. msg)
  vim.cmd('cquit 77')
end

function M.pass(msg)
  log('PASS: ' .. (msg or ''))
  vim.cmd('qa!')
end

function M.check(cond, msg)
  if not cond then
    M.fail(msg)
  end
  log('  ok: ' .. msg)
end

--- Wait up to `ms` for `pred()` to be truthy; fail with `what` (a string, or
--- a function giving one at the time of failure) otherwise.
function M.wait(ms, pred, what)
  local value
  local ok = vim.wait(ms, function()
    value = pred()
    return value
  end, 50)
  if not ok then
    M.fail('timed out after ' .. ms .. ' ms waiting for ' .. (type(what) == 'function' and what() or what))
  end
  return value
end

--- A fresh directory with `files` (relative path -> text) written into it.
function M.workspace(files)
  local dir = vim.fn.tempname()
  for rel, text in pairs(files) do
    local path = dir .. '/' .. rel
    vim.fn.mkdir(vim.fs.dirname(path), 'p')
    local f = assert(io.open(path, 'w'))
    f:write(text)
    f:close()
  end
  return dir
end

--- Open a file and wait for our client to attach.
function M.open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.wait(15000, function()
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'mcp_config' })[1]
  end, 'the mcp_config client to attach to ' .. path)
  return bufnr, client
end

--- Our diagnostics of a buffer, as "code@line" (1-based lines) plus the list.
function M.diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'mcp-config-lsp' then
      table.insert(out, d)
    end
  end
  return out
end

function M.code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

function M.find(bufnr, code)
  for _, d in ipairs(M.diagnostics(bufnr)) do
    if M.code(d) == code then
      return d
    end
  end
end

function M.describe(bufnr)
  local parts = {}
  for _, d in ipairs(M.diagnostics(bufnr)) do
    table.insert(parts, string.format('%s@%d', M.code(d), d.lnum + 1))
  end
  return table.concat(parts, ', ')
end

--- Run `fn` and turn any Lua error into a test failure with a clear message.
function M.run(fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    M.fail(tostring(err))
  end
end

function M.supports(client, command)
  local p = client.server_capabilities.executeCommandProvider
  return type(p) == 'table' and vim.list_contains(p.commands or {}, command)
end

return M
