namespace Bedrot.DataLake.Raw;

/// <summary>
/// Finds the kind of a landing file: first by content fingerprint together with the name pattern,
/// then by the name alone (the validator then says what is wrong inside), then by content alone
/// (an export saved under another name).
/// </summary>
public sealed class Recognizer(IReadOnlyList<RawFileKind> kinds)
{
    public const int HeadLength = 64 * 1024;

    public IReadOnlyList<RawFileKind> Kinds => kinds;

    public RawFileKind? Recognize(string fileName, ReadOnlySpan<byte> content)
    {
        var head = content[..Math.Min(content.Length, HeadLength)];
        RawFileKind? byName = null;
        RawFileKind? byContent = null;
        foreach (var kind in kinds)
        {
            var name = kind.MatchesName(fileName);
            var inside = kind.MatchesContent(head);
            if (name && inside)
            {
                return kind;
            }

            byName ??= name ? kind : null;
            byContent ??= inside ? kind : null;
        }

        return byName ?? byContent;
    }
}
