//! A real editor: Neovim, headless, opens a file, starts `sopc lsp` and receives its findings.
//! Skips when `nvim` is not installed (`.ci/run` installs Debian's `neovim`).

use std::process::Command;

use crate::support::Project;

const SCRIPT: &str = r#"
local client = vim.lsp.start_client({
  name = "sopc",
  cmd = { vim.env.SOPC_BIN, "lsp" },
  root_dir = vim.env.SOPC_ROOT,
})
vim.lsp.buf_attach_client(0, client)
vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(out, string.format("%d:%d:%s:%s", d.lnum, d.col, tostring(code), tostring(d.source)))
end
table.sort(out)
vim.fn.writefile(out, vim.env.SOPC_OUT)
vim.lsp.stop_client(client)
vim.cmd("qa!")
"#;

#[test]
fn neovim_receives_the_diagnostics_of_an_open_file() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: `nvim` is not installed (Debian's `neovim` package)");
        return;
    }
    let p = Project::new()
        .file("sopc.yaml", "rules:\n  no-feedback: off\n")
        .file(
            "main.sop",
            "sop d \"线索😀\" {\n  owner nobody\n  review monthly\n}\n",
        )
        .file("test.lua", SCRIPT);
    let root = p.path().canonicalize().unwrap();
    let out = root.join("out.txt");
    let status = Command::new("nvim")
        .args([
            "--headless",
            "--clean",
            "main.sop",
            "-c",
            "luafile test.lua",
        ])
        .current_dir(&root)
        .env("SOPC_BIN", env!("CARGO_BIN_EXE_sopc"))
        .env("SOPC_ROOT", &root)
        .env("SOPC_OUT", &out)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run nvim");
    let got = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!(
            "nvim wrote nothing ({e}): {}\n{}",
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        )
    });
    assert_eq!(got.trim(), "1:8:undefined-reference:sopc");
}
