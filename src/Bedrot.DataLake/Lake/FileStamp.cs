namespace Bedrot.DataLake.Lake;

/// <summary>A file's size and last write time, which stand for its content as the stat cache lets them.</summary>
internal static class FileStamp
{
    /// <summary>The size and time of the file at <paramref name="path"/> as one text; "absent" when there is none.</summary>
    public static string Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.Length}/{file.LastWriteTimeUtc.Ticks}" : "absent";
    }
}
