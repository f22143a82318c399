using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// One unify rule made ready for rows: the staging fields it filters on (<c>where</c>, <c>present</c>),
/// partitions snapshots by, follows for control totals, and maps to unified columns, resolved to
/// indexes once instead of by name per row.
/// </summary>
internal sealed class UnifyRule
{
    private readonly (int Field, string Value)[] _where;
    private readonly int[] _present;
    private readonly int[] _partition;
    private readonly int _dateField = -1;
    private readonly (int Field, string Label)[] _measures = [];
    private readonly (string Column, string? Constant, int Field, FieldSchema Target)[] _columns;

    // The unified columns a row of this rule has, by position: rows carry their values in an array.
    private readonly FieldNames _columnNames;

    public UnifyRule(int index, UnifySource source, LineageSpec? spec, TableSchema target)
    {
        Index = index;
        Source = source;
        Spec = spec;
        var schema = source.Dataset.Schema;
        Table = new StagedTable(schema);
        _where = source.Where.Select(w => (schema.IndexOf(w.Key), w.Value)).ToArray();
        _present = source.Present.Select(schema.IndexOf).ToArray();
        _partition = source.Snapshot.Select(schema.IndexOf).ToArray();
        if (spec is not null)
        {
            _dateField = schema.IndexOf(spec.DateField);
            _measures = spec.Measures.Select(m => (schema.IndexOf(m.Field), spec.Label(m.Measure))).ToArray();
        }

        _columns = source.Columns.Select(c => c.Value.StartsWith('=')
                ? (c.Key, c.Value[1..], -1, target.Fields[target.IndexOf(c.Key)])
                : (c.Key, (string?)null, schema.IndexOf(c.Value), target.Fields[target.IndexOf(c.Key)]))
            .ToArray();
        _columnNames = new FieldNames(_columns.Select(c => c.Column).ToList());
        var filtered = _where.Select(w => w.Field).Concat(_present).Concat(_partition).ToList();
        if (spec is not null)
        {
            filtered.Add(_dateField);
            filtered.AddRange(_measures.Select(m => m.Field));
        }

        Filtered = filtered.Distinct().Order().ToArray();
        Mapped = Filtered.Concat(_columns.Where(c => c.Field >= 0).Select(c => c.Field)).Distinct().Order().ToArray();
    }

    /// <summary>The rule's place among the target's rules: rows of earlier rules come first.</summary>
    public int Index { get; }

    public UnifySource Source { get; }

    public LineageSpec? Spec { get; }

    public StagedTable Table { get; }

    /// <summary>The staging fields deciding whether a row is taken, its partition and its control totals.</summary>
    public int[] Filtered { get; }

    /// <summary>Those, and the staging fields mapped to unified columns.</summary>
    public int[] Mapped { get; }

    /// <summary>Whether the rule takes the row: its <c>where</c> values match and its <c>present</c> fields have a value.</summary>
    public bool Takes(string?[] texts, string path)
    {
        foreach (var (field, value) in _where)
        {
            if (Text(field, texts[field], path) != value)
            {
                return false;
            }
        }

        foreach (var field in _present)
        {
            if (texts[field] is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The snapshot partition the row belongs to (the newest file having it wins it).</summary>
    public string Partition(string?[] texts, string path) => _partition.Length switch
    {
        0 => string.Empty,
        1 => Text(_partition[0], texts[_partition[0]], path),
        _ => string.Join('|', _partition.Select(f => Text(f, texts[f], path))),
    };

    /// <summary>Adds the row's measures to its lines (month and measure label) of the source's control totals.</summary>
    public void AddLineage(string?[] texts, string path, LineAmounts into)
    {
        if (Spec is null)
        {
            return;
        }

        var month = LineageSpec.MonthOf(Table.Typed(_dateField, texts[_dateField], path));
        foreach (var (field, label) in _measures)
        {
            into.Add(month, label, LineageSpec.Amount(Table.Typed(field, texts[field], path)));
        }
    }

    /// <summary>The row as a source row of the unified dataset: each column a constant or a staging value in the target's format.</summary>
    public SourceRow ToUnified(string?[] texts, string path)
    {
        var values = new string?[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            var (_, constant, field, target) = _columns[c];
            values[c] = constant ?? FieldValues.Format(target, Table.Typed(field, texts[field], path));
        }

        return new SourceRow(path, new IndexedFields(_columnNames, values));
    }

    /// <summary>A staging value as its field writes it (text fields need no round trip).</summary>
    private string Text(int field, string? text, string path) =>
        text is null ? string.Empty
        : Table.Schema.Fields[field].Type == FieldType.String ? text
        : FieldValues.Format(Table.Schema.Fields[field], Table.Typed(field, text, path));
}
