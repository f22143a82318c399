using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Raw;

/// <summary>A file's bytes with its name, handed to a validator or parser (which never touch paths).</summary>
public sealed record RawContent(string FileName, ReadOnlyMemory<byte> Bytes, SchemaCatalog Schemas);
