// RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes; CRLF or LF line
// ends; a UTF-8 byte-order mark is ignored. Each record carries the line it starts on so
// errors can point at it.

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let recordLine = 1;
  let field = '';
  let atFieldStart = true;

  const endField = () => {
    fields.push(field);
    field = '';
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    // A blank line is no record (a trailing newline at the end of the file, mostly).
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < text.length) {
    const c = text[i];
    if (atFieldStart && c === '"') {
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new CsvSyntaxError(quoteLine, `unterminated quoted field starting on line ${quoteLine}`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      atFieldStart = false;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(line, `unexpected character after a closing quote on line ${line}`);
      }
      continue;
    }
    atFieldStart = false;
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (!atFieldStart || field !== '' || fields.length > 0) endRecord();
  return records;
}

/** One CSV cell, quoted per RFC 4180 when needed (and when it has edge spaces, which a
 * reader could otherwise trim). The inverse of parseCsv. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
