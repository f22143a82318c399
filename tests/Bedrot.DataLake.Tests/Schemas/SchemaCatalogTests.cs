using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Schemas;

public sealed class SchemaCatalogTests
{
    private const string Schema = """
        {
          "name": "x",
          "title": "A dataset",
          "description": "What it holds.",
          "fields": [
            {"name": "streams", "type": "integer", "description": "Daily streams.", "constraints": {"minimum": 0, "required": true}}
          ]
        }
        """;

    public sealed class TheFingerprintOfMethod : IDisposable
    {
        private readonly TempDirectory _schemas = new();

        public void Dispose() => _schemas.Dispose();

        /// <summary>Writes <paramref name="text"/> as <c>staging/x.json</c>, loads the catalog and fingerprints it.</summary>
        private string FingerprintOf(string text)
        {
            _schemas.Write("staging/x.json", text);
            return SchemaCatalog.Load(_schemas.Path).FingerprintOf("staging/x.json");
        }

        [Fact]
        public void Should_Not_Change_When_Only_Prose_Changes()
        {
            // Given a schema's fingerprint
            var before = FingerprintOf(Schema);

            // When its title, its description and a field's description are reworded
            var after = FingerprintOf(Schema
                .Replace("A dataset", "Daily streams per platform")
                .Replace("What it holds.", "Something else entirely.")
                .Replace("Daily streams.", "How often it was played."));

            // Then the fingerprint is the same
            Assert.Equal(before, after);
        }

        [Fact]
        public void Should_Not_Change_With_Layout_Or_Key_Order()
        {
            // Given a schema's fingerprint
            var before = FingerprintOf(Schema);

            // When the same content is written on one line with keys in another order
            var after = FingerprintOf(
                """{"fields":[{"constraints":{"required":true,"minimum":0},"type":"integer","name":"streams"}],"name":"x"}""");

            // Then the fingerprint is the same
            Assert.Equal(before, after);
        }

        [Theory]
        [InlineData("\"minimum\": 0", "\"minimum\": 1")]
        [InlineData("\"required\": true", "\"required\": false")]
        [InlineData("\"type\": \"integer\"", "\"type\": \"number\"")]
        [InlineData("\"name\": \"streams\"", "\"name\": \"plays\"")]
        public void Should_Change_When_A_Rule_Changes(string from, string to)
        {
            // Given a schema's fingerprint
            var before = FingerprintOf(Schema);

            // When a constraint, type or name changes
            var after = FingerprintOf(Schema.Replace(from, to));

            // Then the fingerprint changes
            Assert.NotEqual(before, after);
        }

        [Fact]
        public void Should_Name_A_File_That_Does_Not_Exist()
        {
            // Given a catalog
            _schemas.Write("staging/x.json", Schema);
            var catalog = SchemaCatalog.Load(_schemas.Path);

            // When an absent file is asked for
            var error = Assert.Throws<LakeConfigurationException>(() => catalog.FingerprintOf("staging/y.json"));

            // Then the message names it
            Assert.Contains("schemas/staging/y.json", error.Message);
        }
    }

    public sealed class TheLoadMethod : IDisposable
    {
        private readonly TempDirectory _schemas = new();

        public void Dispose() => _schemas.Dispose();

        [Fact]
        public void Should_Name_The_File_And_Line_Of_A_Json_Syntax_Error()
        {
            // Given a schema with a missing comma on its third line
            _schemas.Write("staging/good.json", Schema);
            _schemas.Write("staging/broken.json", "{\n  \"name\": \"broken\",\n  \"fields\": [] \"primaryKey\": []\n}\n");

            // When the catalog is loaded
            var error = Assert.Throws<LakeConfigurationException>(() => SchemaCatalog.Load(_schemas.Path));

            // Then the message says which file and which line
            Assert.Contains("schemas/staging/broken.json", error.Message);
            Assert.Contains("line 3", error.Message);
        }

        [Fact]
        public void Should_Hash_Other_Files_As_Bytes_And_Skip_Markdown()
        {
            // Given a reference table and a README
            _schemas.Write("reference/stores.csv", "key,value\nspotify,spotify\n");
            _schemas.Write("README.md", "# notes\n");

            // When the catalog is loaded
            var catalog = SchemaCatalog.Load(_schemas.Path);

            // Then the table has its file hash and the README is not part of the catalog
            Assert.Equal(Bedrot.DataLake.Incremental.Hashing.OfFile(_schemas.File("reference/stores.csv")),
                catalog.FingerprintOf("reference/stores.csv"));
            Assert.Throws<LakeConfigurationException>(() => catalog.FingerprintOf("README.md"));
        }

        [Fact]
        public void Should_Load_The_Project_Schemas()
        {
            // Given the repository's own schemas
            // When they are loaded
            var catalog = SchemaCatalog.Load(Repository.SchemasFolder);

            // Then every schema and mapping the product uses is there
            Assert.Contains("raw/distrokid_bank.contract.json", catalog.DocumentsUnder("raw"));
            Assert.Contains("mappings/distrokid.json", catalog.DocumentsUnder("mappings"));
            Assert.Equal(3, PlatformMapping.Load(catalog, "mappings/distrokid.json").Datasets.Count);
        }
    }
}
