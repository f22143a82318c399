// The DuckDB comparison for the stage-platform target: the same read, trim, type, derive, dedup
// and CSV write over one DistroKid bank TSV as the product's distrokid_sales staging dataset.
//
//   npm install @duckdb/node-api     (once, in a scratch folder outside the repository)
//   node stage_bank.mjs <bank.tsv> <stores.csv> <out.csv> [gzip]
import { DuckDBInstance } from '@duckdb/node-api';

const [input, stores, output, compression] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();
const started = performance.now();
await db.run(`
  COPY (
    WITH raw AS (
      SELECT * FROM read_csv('${input}', delim = '\t', header = true, new_line = '\\r', quote = '', escape = '',
                             all_varchar = true, encoding = 'utf-8')
    ), stores AS (
      SELECT key, value FROM read_csv('${stores}', header = true, all_varchar = true)
    ), typed AS (
      SELECT DISTINCT
        CAST(trim("Reporting Date") AS DATE) AS reporting_date,
        trim("Sale Month") AS sale_month,
        trim("Store") AS store,
        trim("Artist") AS artist_name,
        trim("Title") AS track_name,
        trim("ISRC") AS isrc,
        trim("UPC") AS upc,
        CAST(trim("Quantity") AS BIGINT) AS quantity,
        CAST(trim("Team Percentage") AS DECIMAL(18, 8)) AS team_percentage,
        trim("Song/Album") AS song_or_album,
        trim("Country of Sale") AS country,
        CAST(trim("Songwriter Royalties Withheld") AS DECIMAL(18, 8)) AS songwriter_royalties_withheld_usd,
        CAST(trim("Earnings (USD)") AS DECIMAL(18, 8)) AS earnings_usd
      FROM raw
    )
    SELECT reporting_date, sale_month, store,
           coalesce(s.value, 'other') AS platform,
           artist_name, lower(artist_name) AS artist_key, track_name, lower(track_name) AS track_key,
           isrc, upc, quantity, team_percentage, song_or_album, country,
           songwriter_royalties_withheld_usd, earnings_usd,
           CAST(substr(sale_month, 1, 4) AS INTEGER) AS year, CAST(substr(sale_month, 6, 2) AS INTEGER) AS month,
           CASE WHEN quantity = 0 THEN NULL ELSE round(earnings_usd / quantity, 10) END AS revenue_per_stream,
           'dk_bank_details.tsv' AS source_file, TIMESTAMP '2025-08-01 06:00:00' AS processed_timestamp
    FROM typed
    LEFT JOIN stores s ON s.key = trim(regexp_replace(lower(store), '[^a-z0-9]+', ' ', 'g'))
  ) TO '${output}' (HEADER, DELIMITER ',' ${compression === 'gzip' ? ", COMPRESSION 'gzip'" : ''})
`);
const seconds = (performance.now() - started) / 1000;
const rows = await db.runAndReadAll(`SELECT count(*) AS n FROM read_csv('${output}', header = true)`);
console.log(JSON.stringify({ seconds: Math.round(seconds * 1000) / 1000, rows_out: Number(rows.getRows()[0][0]), output, compression: compression ?? 'none' }));
