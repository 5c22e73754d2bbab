namespace Wavelet.Cli.Tests;

/// <summary>
/// The public types of the upstream Wavelet TypeScript SDK (@risingwave/wavelet-sdk 0.2.5) that a generated client
/// uses, as declarations: the package is not on the npm registry this machine reaches, so tsc checks the generated
/// client against these. Written from the SDK's documented API (WaveletClient.query/event, QueryHandle, EventHandle,
/// UseWaveletResult).
/// </summary>
internal static class SdkDeclarations
{
    public const string Index = """
        export interface WaveletClientOptions { url: string; token?: string | (() => string | Promise<string>) }
        export interface Diff<T = Record<string, unknown>> { cursor: string; inserted: T[]; updated: T[]; deleted: T[] }
        export interface Snapshot<T = Record<string, unknown>> { rows: T[] }
        export interface SubscribeHandlers<T> {
          onOpen?: () => void
          onSnapshot?: (snapshot: Snapshot<T>) => void
          onData: (diff: Diff<T>) => void
          onError?: (error: Error) => void
          onReconnect?: () => void
        }
        export type Unsubscribe = () => void
        export interface QueryHandle<T = Record<string, unknown>> {
          get(params?: Record<string, string>): Promise<T[]>
          subscribe(handlers: SubscribeHandlers<T>): Unsubscribe
        }
        export interface EventHandle<T = Record<string, unknown>> {
          emit(data: T): Promise<void>
          emitBatch(data: T[]): Promise<void>
        }
        export declare class WaveletClient {
          constructor(options: WaveletClientOptions)
          query<T = Record<string, unknown>>(name: string): QueryHandle<T>
          event<T = Record<string, unknown>>(name: string): EventHandle<T>
        }
        """;

    public const string React = """
        export interface UseWaveletResult<T> { data: T[]; isLoading: boolean; error: Error | null }
        """;

    /// <summary>
    /// An app using the generated client the way the upstream README shows: typed rows in, typed events out. It reads
    /// bigint as the string valueShape Upstream sends (BigInt keeps every digit) and an interval as its object.
    /// </summary>
    public const string App = """
        import { TypedWaveletClient } from './wavelet/client'
        import type { LeaderboardRow, GameEventsEvent } from './wavelet/client'

        const client = new TypedWaveletClient({ url: 'http://127.0.0.1:8080', token: 'dev' })
        export async function top(): Promise<string[]> {
          const rows: LeaderboardRow[] = await client.queries.leaderboard.get()
          const total: bigint = BigInt(rows[0].total satisfies string)
          const player: string = rows[0].player
          return [player, String(total)]
        }
        export async function span(): Promise<number> {
          const rows = await client.queries.recent.get()
          return rows[0].span.days ?? 0
        }
        export function play(): Promise<void> {
          const event: GameEventsEvent = { player: 'ada', score: 3, at: '2026-12-07T12:00:00Z', bonus: true }
          return client.events.game_events.emit(event)
        }
        client.queries.leaderboard.subscribe({ onData: (diff) => diff.inserted.map((r) => r.games.length) })
        """;
}
