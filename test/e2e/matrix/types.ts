// The matrix contracts: a new dialect joins by adding one client driver and one backend fixture
// to the registries in registry.ts — never by copying tests.
import type { Test } from 'tap'
import type { RecordedRequest, Script } from '../../helpers/mock-upstream.js'
import type { Outcome, ScenarioId, ToolTurn } from './scenarios.js'

export interface ClientDriver {
  readonly dialect: string
  /** Run one scenario turn against a Switchyard URL with the official SDK. */
  run (scenario: ScenarioId, opts: { readonly url: string, readonly stream: boolean, readonly toolTurn?: ToolTurn, readonly replay?: Outcome }): Promise<Outcome>
}

export interface BackendFixture {
  readonly protocol: string
  /** The upstream's reply to one request of a scenario (turn 2 of `tools` carries results). */
  reply (scenario: ScenarioId, stream: boolean, request: RecordedRequest): Script
  /** Assert the upstream received a valid request of its own dialect for this scenario turn. */
  check (t: Test, scenario: ScenarioId, request: RecordedRequest, toolTurn: ToolTurn | undefined): void
  /**
   * Turn 2 of `reasoning`: the client replayed the answer (and, when its dialect can hold it, the
   * reasoning with its proof). Assert the backend got its own reasoning back exactly, or none.
   */
  checkReplay (t: Test, request: RecordedRequest, withReasoning: boolean): void
}
