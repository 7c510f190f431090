/** Line icons for the service tiles, drawn inline so the kiosk needs no icon font or network. */
const paths: Record<string, string> = {
  'id-card': 'M3 6h18v12H3z M7 10h4v4H7z M14 10h4 M14 14h4',
  handshake: 'M2 12l5-5 4 3 2-2 4 4 5-1 M7 13l3 3 M10 12l3 3 M13 11l3 3',
  building: 'M4 21V3h10v18 M14 9h6v12 M7 7h2 M7 11h2 M7 15h2 M17 13h1 M17 17h1 M2 21h20',
  permit: 'M5 3h10l4 4v14H5z M15 3v4h4 M8 12h8 M8 16h5',
  search: 'M10 4a6 6 0 1 1 0 12a6 6 0 1 1 0-12 M14.5 14.5L20 20',
  phone: 'M5 4h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  info: 'M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18 M12 11v6 M12 7v1',
  calendar: 'M4 6h16v15H4z M4 10h16 M8 3v5 M16 3v5 M8 14h2 M14 14h2 M8 17h2',
};

export function Icon({ name }: { name: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[name] ?? paths.info} />
    </svg>
  );
}
