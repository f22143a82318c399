using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Raw;

/// <summary>A file's bytes with its name, handed to a validator or parser (which never touch paths).</summary>
public sealed record RawContent(string FileName, ReadOnlyMemory<byte> Bytes, SchemaCatalog Schemas)
{
    /// <summary>
    /// Set when <see cref="Bytes"/> holds only the file's first lines, for a file too large to hold
    /// in memory and of a kind whose validation needs no more (<see cref="RawFileKind.ValidatesFromStart"/>):
    /// what the one pass over the whole file found.
    /// </summary>
    public WholeFile? Whole { get; init; }
}

/// <summary>What one pass over a whole file found: its size, and the offset of its first NUL byte (-1 when it has none).</summary>
public sealed record WholeFile(long Size, long FirstNul);
