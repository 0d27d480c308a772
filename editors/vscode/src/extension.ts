// Starts `sopc lsp` for `.sop` files (and `sopc.yaml`) and connects VS Code to it.

import { execFile } from "child_process";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** Whether `command --version` runs: the program is there and is a sopc. */
function runs(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, ["--version"], { timeout: 10000 }, (error) => resolve(!error));
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command =
    vscode.workspace.getConfiguration("sopc").get<string>("path")?.trim() || "sopc";
  if (!(await runs(command))) {
    const choice = await vscode.window.showErrorMessage(
      `sopc was not found (\`${command}\`): install sopc and put it on PATH, ` +
        "or set `sopc.path` to the full path of the program",
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "sopc.path");
    }
    return;
  }
  // No transport option: the server is started as `sopc lsp`, with no other argument.
  const server: ServerOptions = { command, args: ["lsp"] };
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "sop" },
      { scheme: "untitled", language: "sop" },
      { scheme: "file", pattern: "**/sopc.yaml" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.sop,sopc.yaml}"),
    },
  };
  client = new LanguageClient("sopc", "sopc", server, options);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("sopc.path") && client) {
        await client.stop();
        client = undefined;
        await activate(context);
      }
    }),
  );
  await client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
