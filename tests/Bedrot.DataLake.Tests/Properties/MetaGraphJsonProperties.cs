using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.MetaAds;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>An error reply of a Meta kind: <c>{"error": {members}}</c>.</summary>
public sealed record ErrorReply(RawFileKind Kind, IReadOnlyList<string> Members)
{
    public string Json => "{\"error\": {" + string.Join(", ", Members) + "}}";

    public override string ToString() => $"{Kind.GetType().Name} {Kind.UnitMember}: {Json}";
}

/// <summary>A real row of a Meta kind with an <c>actions</c> list, each action given as its members.</summary>
public sealed record RowWithActions(RawFileKind Kind, string Row, IReadOnlyList<IReadOnlyList<string>> Actions)
{
    public string Json => $"[{Row[..^1]}, \"actions\": [{string.Join(", ", Actions.Select(a => "{" + string.Join(", ", a) + "}"))}]}}]";

    public override string ToString() => $"{Kind.GetType().Name} {Kind.UnitMember}: {Json}";
}

/// <summary>
/// The two places a Meta Graph API reply carries nested values the parser reads itself, beyond its
/// contract: the error reply and the <c>actions</c> list. Any JSON there is read or rejected.
/// </summary>
public sealed class MetaGraphJsonProperties
{
    private static readonly RawFileKind[] MetaKinds = PlatformCatalog.Kinds.OfType<MetaGraphJson>().ToArray<RawFileKind>();

    private static Gen<RawFileKind> Kind { get; } = Gen.Elements(MetaKinds);

    private static string NameOf(RawFileKind kind) => kind.UnitMember!;

    /// <summary>Members <c>"key": value</c> for some of <paramref name="keys"/>, each value any small JSON value.</summary>
    private static Gen<IReadOnlyList<string>> Members(params string[] keys) =>
        Gen.CollectToList(keys.Select(key =>
                Gen.Frequency((1, Gen.Constant<string?>(null)), (4, ParserInputs.JsonValue(2).Select(v => (string?)$"\"{key}\": {v}")))))
            .Select(members => (IReadOnlyList<string>)members.OfType<string>().ToList());

    /// <summary>Shrinks a list of members: one left out, or one's value made a simpler JSON value.</summary>
    private static IEnumerable<IReadOnlyList<string>> Shrink(IReadOnlyList<string> members)
    {
        foreach (var fewer in ParserInputs.WithoutOne(members))
        {
            yield return fewer;
        }

        for (var i = 0; i < members.Count; i++)
        {
            var colon = members[i].IndexOf("\": ", StringComparison.Ordinal) + 3;
            foreach (var simpler in new[] { "[]", "{}", "null", "0", "\"\"" }.Where(v => members[i].Length > colon + v.Length))
            {
                yield return [.. members.Take(i), members[i][..colon] + simpler, .. members.Skip(i + 1)];
            }
        }
    }

    [Property(MaxTest = 200)]
    public Property Should_Name_An_Error_Reply_Whatever_Its_Fields_Hold() =>
        // Given an error reply of any Meta kind whose message, type and code are any JSON values (strings, numbers, objects, arrays)
        // When it is validated
        // Then it is rejected with a reason, and nothing throws
        Prop.ForAll(
            Arb.From(
                Kind.SelectMany(kind => Members("message", "type", "code", "error_subcode").Select(members => new ErrorReply(kind, members))),
                reply => Shrink(reply.Members).Select(members => reply with { Members = members })),
            reply =>
            {
                var problems = reply.Kind.Validate(Some.Content(NameOf(reply.Kind), Encoding.UTF8.GetBytes(reply.Json)));
                Assert.NotEmpty(problems);
                Assert.All(problems, ParserContract.NamesItsProblem);
            });

    [Property(MaxTest = 200)]
    public Property Should_Read_Or_Reject_Rows_Whatever_Their_Actions_Hold() =>
        // Given a row of a real Meta export of any kind, with an actions list whose action types and values are any JSON values
        // When it is validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        Prop.ForAll(
            Arb.From(
                Kind.SelectMany(kind => Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(Members("action_type", "value"), n))
                    .Select(actions => new RowWithActions(kind, FirstRow(kind), actions.ToList()))),
                row => ParserInputs.WithoutOne(row.Actions).Select(actions => row with { Actions = actions })
                    .Concat(row.Actions.SelectMany((action, i) => Shrink(action).Select(members =>
                        row with { Actions = [.. row.Actions.Take(i), members, .. row.Actions.Skip(i + 1)] })))),
            row =>
            {
                _ = ParserContract.Holds(row.Kind, NameOf(row.Kind), Encoding.UTF8.GetBytes(row.Json));
            });

    /// <summary>The first row of the kind's first real sample, as compact JSON text of an object.</summary>
    private static string FirstRow(RawFileKind kind)
    {
        var sample = ParserInputs.SamplesOf(kind).First(s => s.FileName == kind.UnitMember);
        var document = Newtonsoft.Json.Linq.JToken.Parse(Encoding.UTF8.GetString(sample.Bytes));
        var rows = document as Newtonsoft.Json.Linq.JArray ?? (Newtonsoft.Json.Linq.JArray)document["data"]!;
        var row = (Newtonsoft.Json.Linq.JObject)rows[0].DeepClone();
        row.Remove("actions");
        return row.ToString(Newtonsoft.Json.Formatting.None);
    }
}
