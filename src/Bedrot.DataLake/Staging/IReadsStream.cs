using Bedrot.DataLake.Schemas;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// A raw file kind whose rows can be read from a stream, front to back, so that staging a big
/// export never holds the whole file: memory stays flat however many rows it has.
/// </summary>
public interface IReadsStream
{
    /// <param name="fileName">The name the file was landed under.</param>
    /// <param name="open">Opens the file; may be called more than once (a first pass may check its encoding).</param>
    IEnumerable<SourceRow> Read(string fileName, Func<Stream> open, SchemaCatalog schemas);
}
