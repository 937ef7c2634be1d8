-- What a user writes: the repo's editors/nvim on the runtimepath, then enable
-- the config. (`mcp-config-lsp` is on PATH: run.sh puts the binary there.)
local root = assert(os.getenv('E2E_ROOT'), 'E2E_ROOT is not set (use tests/e2e/nvim/run.sh)')
vim.opt.rtp:prepend(root .. '/editors/nvim')
vim.opt.rtp:append(root .. '/tests/e2e/nvim') -- the test helpers (lua/e2e.lua)
vim.lsp.enable('mcp_config')
vim.o.swapfile = false
vim.o.shadafile = 'NONE'
