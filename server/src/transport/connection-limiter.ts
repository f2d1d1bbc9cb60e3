/** Caps concurrent sockets per client address so one host cannot exhaust a node. */
export class ConnectionLimiter {
  private readonly counts = new Map<string, number>();
  constructor(private readonly perIp: number) {}
  canAcquire(ip: string): boolean {
    return (this.counts.get(ip) ?? 0) < this.perIp;
  }
  tryAcquire(ip: string): boolean {
    if (!this.canAcquire(ip)) return false;
    this.counts.set(ip, (this.counts.get(ip) ?? 0) + 1);
    return true;
  }
  release(ip: string): void {
    const n = (this.counts.get(ip) ?? 0) - 1;
    if (n <= 0) this.counts.delete(ip);
    else this.counts.set(ip, n);
  }
}
