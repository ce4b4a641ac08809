import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";

type Task = Schemas["TaskRow"];
type TaskPage = Schemas["TaskPage"];
const STATUS: Record<Schemas["TaskStatus"], string> = {
  running: "Running", completed: "Completed", error: "Error",
};
// After a stream failed for good (not the browser's own reconnects), try again this late.
const REOPEN_MS = 5000;

/** The guide's Tasks: every action, its progress and outcome counts ("Completed" means it ran,
 * not that every item succeeded: the counts say how many did). Live: the gateway's task stream
 * (server-sent events) sends the list at once and again whenever a task moves. */
export function TasksPage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: number | undefined;
    let live = true;
    const query = new URLSearchParams({ connection_id: connectionId });
    if (region !== null) query.set("region", region);
    function open() {
      source = new EventSource(`/api/v1/tasks/stream?${query.toString()}`);
      source.addEventListener("tasks", (event) => {
        setError(null);
        setTasks((JSON.parse((event as MessageEvent<string>).data) as TaskPage).tasks);
      });
      source.onerror = () => { if (source?.readyState === EventSource.CLOSED) void refused(); };
    }
    // The browser gave up (a non-200 answer): learn why from the list itself.
    async function refused() {
      const { data, error: failed, response } = await api.GET("/api/v1/tasks", {
        params: { query: { connection_id: connectionId, region, limit: 50 } },
      });
      if (!live) return;
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) setError(reason(failed, response.status));
      else setTasks(data.tasks);
      timer = window.setTimeout(open, REOPEN_MS);
    }
    open();
    return () => { live = false; source?.close(); window.clearTimeout(timer); };
  }, [connectionId, region]);

  return (
    <main>
      <h1>Tasks</h1>
      {error !== null && <p class="error" role="alert">{error}</p>}
      {tasks === null ? <p aria-busy="true">Loading…</p> : tasks.length === 0 ? <p>No task yet.</p> : (
        <table>
          <caption class="visually-hidden">Tasks, newest first</caption>
          <thead><tr><th scope="col">Task</th><th scope="col">Status</th><th scope="col">Progress</th>
            <th scope="col">Started</th><th scope="col">Finished</th></tr></thead>
          <tbody>{tasks.map((t) => <TaskLine key={t.task_id} task={t} />)}</tbody>
        </table>
      )}
    </main>
  );
}

function TaskLine({ task }: { task: Task }) {
  const handled = task.done + task.failed;
  const counts = `${task.done} succeeded, ${task.failed} failed${task.total != null ? ` of ${task.total}` : ""}`;
  return (
    <tr>
      <td><strong>{task.type}</strong> {task.summary}{task.region !== null && task.region !== undefined ? ` (${task.region})` : ""}
        {task.detail !== null && task.detail !== undefined && <div class="muted">{task.detail}</div>}</td>
      <td><span class={`status status-${task.status}`}>{STATUS[task.status]}</span></td>
      <td>
        <progress max={task.total ?? undefined} value={task.total != null ? handled : undefined}
          aria-label={`Progress of ${task.type}: ${counts}`} />
        <div>{counts}</div>
      </td>
      <td><time dateTime={task.started_at}>{new Date(task.started_at).toLocaleString()}</time></td>
      <td>{task.finished_at ? <time dateTime={task.finished_at}>{new Date(task.finished_at).toLocaleString()}</time> : "—"}</td>
    </tr>
  );
}
