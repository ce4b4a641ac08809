// Server-side paging shared by the list pages: 50 rows a page, Previous / Next.

export const PAGE = 50;

/** "1–50 of 120" with Previous and Next; `offset` is the first row shown. */
export function Pager({ offset, count, onOffset, label = "Pages" }: {
  offset: number; count: number; onOffset: (offset: number) => void; label?: string;
}) {
  return (
    <nav aria-label={label} class="pager">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PAGE))}>Previous</button>
      <span>{count === 0 ? "0" : `${offset + 1}–${Math.min(offset + PAGE, count)}`} of {count}</span>
      <button type="button" disabled={offset + PAGE >= count} onClick={() => onOffset(offset + PAGE)}>Next</button>
    </nav>
  );
}
