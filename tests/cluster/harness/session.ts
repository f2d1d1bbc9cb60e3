import { OperatorClient, VisitorClient } from './clients.js';
import type { Cluster, OperatorAccount } from './cluster.js';
import type { NodeProcess } from './node-process.js';

/** Logs the operator in over REST on `node` and opens their console there. */
export async function openConsole(
  cluster: Cluster,
  node: NodeProcess,
  account: OperatorAccount,
  label = account.name,
): Promise<OperatorClient> {
  const cookie = await cluster.login(node, account.email, account.password);
  const op = new OperatorClient(label, cookie);
  await op.connect(node);
  return op;
}

/** A new visitor connected to `node` (its identity generated client-side, `new=1`). */
export async function openVisitor(node: NodeProcess, label: string): Promise<VisitorClient> {
  const v = new VisitorClient(label);
  await v.connect(node);
  return v;
}
