/** An in-memory portal speaking the PortalApi, with scripted failures (timers: ManualClock). */
import { CompactSign, type JWK } from 'jose';
import type { ClientError, ClientResult, PortalApi } from '../../../sync/client.ts';
import type {
  CreateSubmissionRequest,
  CreateSubmissionResponse,
  PartResponse,
  StatusEvent,
  SubmitResponse,
} from '../../../sync/protocol/index.ts';

type Method = 'health' | 'createSubmission' | 'getPart' | 'putPart' | 'submit' | 'statusEvents';

interface Stored {
  body: CreateSubmissionRequest;
  key: string;
  parts: Map<string, Buffer>;
  delivered: boolean;
}

export class FakePortal implements PortalApi {
  readonly submissions = new Map<string, Stored>();
  readonly calls: { method: Method; args: unknown[] }[] = [];
  readonly events: string[] = [];
  /** Scripted failures: the next calls of a method fail with these errors, in order. */
  readonly failures = new Map<Method, ClientError[]>();
  /** Fail these methods after doing the work (lost acknowledgement). */
  readonly lostAck = new Map<Method, number>();
  bytesReceived = 0;
  deliveredCount = 0;
  /** Changes the next answers of `createSubmission` / `submit` (a confused or forged portal). */
  tamperCreate: ((a: CreateSubmissionResponse) => CreateSubmissionResponse) | undefined;
  tamperSubmit: ((a: SubmitResponse) => SubmitResponse) | undefined;

  /** `trackingOf` tells the tracking number sealed into a submission (the real portal opens it). */
  constructor(private readonly trackingOf: (submissionId: string) => string | undefined = () => undefined) {}

  fail(method: Method, ...errors: ClientError[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  #pre<T>(method: Method, args: unknown[]): ClientResult<T> | undefined {
    this.calls.push({ method, args });
    const queue = this.failures.get(method);
    const e = queue?.shift();
    return e === undefined ? undefined : { ok: false, error: e };
  }

  #post<T>(method: Method, value: T, replayed = false): ClientResult<T> {
    const n = this.lostAck.get(method) ?? 0;
    if (n > 0) {
      this.lostAck.set(method, n - 1);
      return { ok: false, error: { kind: 'retryable', code: 'net.error', message: 'socket hang up' } };
    }
    return { ok: true, value, status: 200, replayed };
  }

  count(method: Method): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  async health() {
    return (
      this.#pre<never>('health', []) ??
      this.#post('health', { status: 'ok' as const, version: '1', time: new Date().toISOString() })
    );
  }

  async authorityKeys(): Promise<never> {
    throw new Error('not used');
  }

  async heartbeat(): Promise<never> {
    throw new Error('not used');
  }

  #created(a: CreateSubmissionResponse): CreateSubmissionResponse {
    return this.tamperCreate?.(a) ?? a;
  }

  #state(s: Stored): CreateSubmissionResponse {
    return {
      submissionId: s.body.submissionId,
      state: s.delivered ? 'delivered' : 'open',
      createdAt: new Date().toISOString(),
      parts: s.body.parts.map((p) => {
        const received = s.delivered ? p.sealedSize : (s.parts.get(p.partId)?.length ?? 0);
        return { partId: p.partId, sealedSize: p.sealedSize, received, complete: received === p.sealedSize };
      }),
    };
  }

  async createSubmission(key: string, body: CreateSubmissionRequest) {
    const f = this.#pre<CreateSubmissionResponse>('createSubmission', [key, body]);
    if (f) return f;
    const existing = this.submissions.get(body.submissionId);
    if (existing) {
      if (existing.key !== key) {
        return {
          ok: false as const,
          error: { kind: 'permanent' as const, code: 'idempotency.mismatch', message: '' },
        };
      }
      return this.#post('createSubmission', this.#created(this.#state(existing)), true);
    }
    const s: Stored = { body, key, parts: new Map(), delivered: false };
    this.submissions.set(body.submissionId, s);
    return this.#post('createSubmission', this.#created(this.#state(s)));
  }

  #partState(s: Stored, partId: string): PartResponse {
    const st = this.#state(s).parts.find((p) => p.partId === partId);
    if (!st) throw new Error('no part');
    return st;
  }

  async getPart(id: string, partId: string) {
    const f = this.#pre<PartResponse>('getPart', [id, partId]);
    if (f) return f;
    const s = this.submissions.get(id);
    if (!s)
      return {
        ok: false as const,
        error: { kind: 'permanent' as const, code: 'submission.not_found', message: '' },
      };
    return this.#post('getPart', this.#partState(s, partId));
  }

  async putPart(id: string, partId: string, offset: number, bytes: Uint8Array) {
    const f = this.#pre<PartResponse>('putPart', [id, partId, offset, bytes.length]);
    if (f) return f;
    const s = this.submissions.get(id);
    if (!s)
      return {
        ok: false as const,
        error: { kind: 'permanent' as const, code: 'submission.not_found', message: '' },
      };
    const held = s.parts.get(partId) ?? Buffer.alloc(0);
    if (offset > held.length) {
      return {
        ok: false as const,
        error: { kind: 'permanent' as const, code: 'part.gap', message: '', received: held.length },
      };
    }
    this.bytesReceived += bytes.length;
    const next = Buffer.concat([held.subarray(0, offset), Buffer.from(bytes)]);
    s.parts.set(partId, next.length >= held.length ? next : held);
    return this.#post('putPart', this.#partState(s, partId));
  }

  async submit(id: string) {
    const f = this.#pre<never>('submit', [id]);
    if (f) return f;
    const s = this.submissions.get(id);
    if (!s)
      return {
        ok: false as const,
        error: { kind: 'permanent' as const, code: 'submission.not_found', message: '' },
      };
    const incomplete = s.body.parts.filter((p) => (s.parts.get(p.partId)?.length ?? 0) !== p.sealedSize);
    if (!s.delivered && incomplete.length > 0) {
      return {
        ok: false as const,
        error: {
          kind: 'retryable' as const,
          code: 'submission.incomplete',
          message: '',
          missingParts: incomplete.map((p) => p.partId),
        },
      };
    }
    if (!s.delivered) {
      for (const p of s.body.parts) {
        if (s.parts.get(p.partId)?.toString('utf8').length !== p.sealedSize)
          throw new Error('corrupt upload');
      }
      s.delivered = true;
      this.deliveredCount++;
    }
    const answer: SubmitResponse = {
      status: 'delivered' as const,
      submissionId: id,
      trackingNumber: this.trackingOf(id) ?? 'ST-00000000000',
      receivedAt: '2025-03-01T09:00:00.000Z',
    };
    return this.#post('submit', this.tamperSubmit?.(answer) ?? answer);
  }

  async statusEvents(after: string | undefined) {
    const f = this.#pre<never>('statusEvents', [after]);
    if (f) return f;
    const from = after === undefined ? 0 : Number(after);
    const events = this.events.slice(from);
    return this.#post('statusEvents', { events, cursor: String(from + events.length) });
  }

  async addEvent(
    signingKey: JWK,
    event: Omit<StatusEvent, 'cursor' | 'eventId'>,
    typ = 'status+jwt',
  ): Promise<void> {
    const cursor = String(this.events.length + 1);
    const payload: StatusEvent = { ...event, eventId: `ev-${cursor}`, cursor };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', kid: 'portal', typ })
      .sign(signingKey);
    this.events.push(jws);
  }
}

export const netError: ClientError = { kind: 'retryable', code: 'net.error', message: 'ECONNREFUSED' };
export const serverError: ClientError = {
  kind: 'retryable',
  code: 'server.error',
  message: '500',
  status: 500,
};
