using System.Globalization;
using Bedrot.Bench;
using Bedrot.Bench.Generation;
using Bedrot.Bench.Running;

// The benchmark harness: a seeded synthetic landing zone, and timed pipeline runs over it.
//
//   generate --out <folder> --seed <n> --rows <N> --files <M> [--platforms distrokid,toolost,...] [--samples <landing>]
//   run --landing <folder> --lake <folder> --out result.json [--runs full,no-op,touch-one]
//       [--steps validate-raw,stage-platform,unify,quality-report] [--parallelism n] [--max-file-mb n]
const string Usage = """
    usage:
      Bedrot.Bench generate --out <folder> --seed <n> --rows <N> --files <M> [--platforms a,b] [--samples <landing>]
      Bedrot.Bench run --landing <folder> --lake <folder> --out <result.json> [--runs full,no-op,touch-one]
                       [--steps validate-raw,stage-platform,unify,quality-report] [--parallelism n] [--max-file-mb n]
    """;

// Generated names and values never depend on the machine's culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 64;
}

try
{
    switch (args[0])
    {
        case "generate":
            return LandingGenerator.Generate(new CommandLine(args.Skip(1), LandingGenerator.Options));
        case "run":
            return BenchRunner.RunAll(new CommandLine(args.Skip(1), BenchRunner.Options));
        default:
            Console.Error.WriteLine(Usage);
            return 64;
    }
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(Usage);
    return 64;
}
