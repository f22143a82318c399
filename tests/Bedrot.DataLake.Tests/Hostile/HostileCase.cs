using System.Text;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Hostile;

/// <summary>
/// One hostile input a real user could drop in landing: a file (or an SDK dump folder), how it is
/// put there, and what the run must make of it.
/// </summary>
/// <param name="Id">The case's name, shown as the theory's argument.</param>
/// <param name="Path">The landing-relative path of the file or unit folder (forward slashes).</param>
/// <param name="Drop">Puts the file (or folder, or link) in landing.</param>
/// <param name="Expected">Where the file must end up, and which words its reason must hold.</param>
public sealed record HostileCase(string Id, string Path, Action<HostileLake> Drop, Outcome Expected)
{
    /// <summary>Changes to the run's options (a smaller size limit).</summary>
    public Func<LakeOptions, LakeOptions>? Options { get; init; }

    /// <summary>Checks beyond the common ones (a link's target appears nowhere in the lake).</summary>
    public Action<HostileLake>? Also { get; init; }

    public override string ToString() => Id;

    /// <summary>A file with these bytes at <paramref name="path"/>.</summary>
    public static HostileCase File(string id, string path, byte[] bytes, Outcome expected) =>
        new(id, path, lake => lake.Drop(path, bytes), expected);

    /// <summary>A file with this text, as UTF-8 without a byte-order mark.</summary>
    public static HostileCase Text(string id, string path, string text, Outcome expected) =>
        File(id, path, Encoding.UTF8.GetBytes(text), expected);
}

/// <summary>What must become of a hostile file.</summary>
public abstract record Outcome;

/// <summary>
/// The file is copied, unchanged, to <c>quarantine/&lt;platform&gt;/</c> beside a <c>.reason.json</c>
/// whose problems hold every one of <paramref name="Words"/> (ignoring case).
/// </summary>
public sealed record Quarantined(string Platform, params string[] Words) : Outcome;

/// <summary>
/// The file is not read at all (a link, or over the size limit): only a reason is written, under
/// <c>quarantine/unknown/&lt;landing path&gt;.reason.json</c>, saying it was not read or copied.
/// </summary>
public sealed record Unread(params string[] Words) : Outcome;

/// <summary>
/// Every file of the unit folder is quarantined with the unit's problems: copied under
/// <c>quarantine/&lt;platform&gt;/</c>, or, for a member that may not be read, named unread under
/// <c>quarantine/unknown/</c>.
/// </summary>
public sealed record UnitQuarantined(string Platform, params string[] Words) : Outcome;

/// <summary>
/// The file is promoted, and each of its <paramref name="Rows"/> data rows is rejected into
/// <c>staging/_rejects/</c>; one reject names <paramref name="Rule"/> and <paramref name="Field"/>,
/// and its message and value hold <paramref name="Words"/>. Its staging output has no rows.
/// </summary>
public sealed record RowsRejected(int Rows, string Rule, string Field, params string[] Words) : Outcome;
