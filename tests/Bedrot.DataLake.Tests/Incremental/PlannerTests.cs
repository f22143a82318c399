using Bedrot.DataLake.Incremental;

namespace Bedrot.DataLake.Tests.Incremental;

public sealed class PlannerTests
{
    public sealed class TheReasonToRunMethod
    {
        private const string Output = "staging/distrokid/sales/distrokid_sales_staging_20250601_093015.csv";
        private const string OutputSha = "aaaa";

        private static Fingerprint Fingerprint(string input = "in-1", string schema = "schema-1") => new Fingerprint()
            .Add("step", "stage-platform/1")
            .Add("input:raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv", input)
            .Add("schema:staging/x.json", schema);

        private static ItemState StateOf(Fingerprint fingerprint) => new()
        {
            Fingerprint = fingerprint.Value,
            Parts = new SortedDictionary<string, string>(fingerprint.Parts.ToDictionary(), StringComparer.Ordinal),
            Outputs = new SortedDictionary<string, string>(StringComparer.Ordinal) { [Output] = OutputSha },
        };

        private static Planner PlannerWith(string? outputSha = OutputSha, bool force = false) =>
            new(path => path == Output ? outputSha : null, force);

        [Fact]
        public void Should_Run_An_Item_Never_Run_Before()
        {
            // Given no recorded state
            // When the planner is asked
            var reason = PlannerWith().ReasonToRun(null, Fingerprint());

            // Then the item is new
            Assert.Equal("new", reason);
        }

        [Fact]
        public void Should_Skip_An_Item_That_Is_Up_To_Date()
        {
            // Given a recorded run with the same fingerprint and its output intact
            // When the planner is asked
            var reason = PlannerWith().ReasonToRun(StateOf(Fingerprint()), Fingerprint());

            // Then there is no reason to run
            Assert.Null(reason);
        }

        [Fact]
        public void Should_Say_The_Input_Changed()
        {
            // Given a recorded run, and the input's hash now different
            // When the planner is asked
            var reason = PlannerWith().ReasonToRun(StateOf(Fingerprint()), Fingerprint(input: "in-2"));

            // Then the reason names the input
            Assert.Contains("input changed", reason);
            Assert.Contains("dk_bank_details_20250601_093015.tsv", reason);
        }

        [Fact]
        public void Should_Say_Which_Schema_Changed()
        {
            // Given a recorded run, and the schema's fingerprint now different
            // When the planner is asked
            var reason = PlannerWith().ReasonToRun(StateOf(Fingerprint()), Fingerprint(schema: "schema-2"));

            // Then the reason names the schema and nothing else
            Assert.Equal("schema staging/x.json changed", reason);
        }

        [Fact]
        public void Should_Say_An_Output_Is_Missing()
        {
            // Given an up-to-date item whose output was deleted
            // When the planner is asked
            var reason = PlannerWith(outputSha: null).ReasonToRun(StateOf(Fingerprint()), Fingerprint());

            // Then the reason names the missing output
            Assert.Equal($"output missing ({Output})", reason);
        }

        [Fact]
        public void Should_Say_An_Output_Was_Changed()
        {
            // Given an up-to-date item whose output was edited
            // When the planner is asked
            var reason = PlannerWith(outputSha: "bbbb").ReasonToRun(StateOf(Fingerprint()), Fingerprint());

            // Then the reason names the changed output
            Assert.Equal($"output changed ({Output})", reason);
        }

        [Fact]
        public void Should_Run_An_Up_To_Date_Item_When_Forced()
        {
            // Given an up-to-date item and --force
            // When the planner is asked
            var reason = PlannerWith(force: true).ReasonToRun(StateOf(Fingerprint()), Fingerprint());

            // Then it runs because it was forced
            Assert.Contains("forced", reason);
        }

        [Fact]
        public void Should_List_Every_Part_That_Changed()
        {
            // Given a recorded run, a new schema added and the code changed
            var now = Fingerprint().Add("schema:reference/stores.csv", "s").Add("step", "stage-platform/2");

            // When the planner is asked
            var reason = PlannerWith().ReasonToRun(StateOf(Fingerprint()), now);

            // Then both are named
            Assert.Contains("schema reference/stores.csv added", reason);
            Assert.Contains("code changed (step stage-platform/2)", reason);
        }
    }
}
