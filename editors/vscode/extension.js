// The aimsdoc extension for VS Code: starts `aimsdoc lsp` for the Markdown documents of a
// workspace that holds an aimsdoc.toml and forwards file changes on disk to it. Everything else
// (diagnostics, completion, hover, go to definition, references, quick fixes) is the server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("aimsdoc");
  const args = ["lsp"];
  if (config.get("root")) {
    args.push("--root", config.get("root"));
  }
  if (config.get("strict")) {
    args.push("--strict");
  }
  return { command: config.get("path") || "aimsdoc", args, transport: TransportKind.stdio };
}

function activate(context) {
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "markdown" }],
    // Checkouts, new evidence and approvals.lock change findings too.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*") },
  };
  client = new LanguageClient("aimsdoc", "aimsdoc", serverOptions(), clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
