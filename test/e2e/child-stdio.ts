/**
 * An MCP client transport over a child process's stdin and stdout, for a child that gets more than
 * the three standard streams (the SDK's StdioClientTransport spawns with exactly three): here,
 * `mcp-access connect --service-account ... --key-fd 3`, whose private key arrives on fd 3.
 */
import type { ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export class ChildProcessTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private readonly buffer = new ReadBuffer();
  /** The exit code (or signal) once the child has ended. */
  readonly exited: Promise<number | string>;

  constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  }

  async start(): Promise<void> {
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (e) {
          this.onerror?.(e as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    void this.exited.then(() => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin?.write(serializeMessage(message));
  }

  /** Ends the child's stdin (the MCP client quits), then waits for it to exit. */
  async close(): Promise<void> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
