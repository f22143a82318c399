using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Incremental;

public sealed class HashCacheTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string CachePath => _folder.File(".bedrot/hash-cache.json");

    [Fact]
    public void Should_Hash_A_File_Once_While_It_Is_Unchanged()
    {
        // Given a file and an empty cache
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);

        // When it is hashed twice
        var first = cache.Hash(file);
        var second = cache.Hash(file);

        // Then the hash is the file's SHA-256 and the file was read once
        Assert.Equal(Hashing.Of("one"), first);
        Assert.Equal(first, second);
        Assert.Equal(1, cache.FilesRead);
    }

    [Fact]
    public void Should_Hash_A_File_Again_When_Its_Size_Changes()
    {
        // Given a hashed file
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);
        cache.Hash(file);

        // When its content grows
        File.WriteAllText(file, "one two");
        var hash = cache.Hash(file);

        // Then the new content is hashed
        Assert.Equal(Hashing.Of("one two"), hash);
        Assert.Equal(2, cache.FilesRead);
    }

    [Fact]
    public void Should_Remember_Hashes_Across_Runs()
    {
        // Given a cache saved after hashing a file
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);
        cache.Hash(file);
        cache.Save(CachePath);

        // When the next run loads it and asks again
        var next = HashCache.Load(CachePath);
        var hash = next.Hash(file);

        // Then the hash comes from the cache without reading the file
        Assert.Equal(Hashing.Of("one"), hash);
        Assert.Equal(0, next.FilesRead);
    }

    [Fact]
    public void Should_Rebuild_A_Damaged_Cache()
    {
        // Given a cache file that is not JSON
        var file = _folder.Write("landing/a.tsv", "one");
        _folder.Write(".bedrot/hash-cache.json", "{ not json");

        // When it is loaded and used
        var cache = HashCache.Load(CachePath);
        var hash = cache.Hash(file);

        // Then it works as an empty cache
        Assert.Equal(Hashing.Of("one"), hash);
        Assert.Equal(1, cache.FilesRead);
    }

    [Fact]
    public void Should_Say_Null_For_A_Missing_File_And_Forget_Files_Gone_When_Saving()
    {
        // Given a cache that knew a file which was then deleted
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);
        cache.Hash(file);
        File.Delete(file);

        // When the missing file is asked for and the cache is saved and reloaded
        var missing = cache.HashIfExists(file);
        cache.Save(CachePath);

        // Then there is no hash and the saved cache does not mention it
        Assert.Null(missing);
        Assert.DoesNotContain("a.tsv", File.ReadAllText(CachePath));
    }

    [Fact]
    public void Should_Trust_A_Remembered_Hash_For_A_File_Just_Written()
    {
        // Given a file whose hash was remembered when it was written
        var file = _folder.Write("staging/out.csv", "a,b\n");
        var cache = HashCache.Load(CachePath);
        cache.Remember(file, Hashing.Of("a,b\n"));

        // When it is hashed
        var hash = cache.Hash(file);

        // Then the remembered hash is used without reading the file
        Assert.Equal(Hashing.Of("a,b\n"), hash);
        Assert.Equal(0, cache.FilesRead);
    }

    [Fact]
    public void Should_Leave_The_Saved_Cache_As_It_Is_When_A_Run_Learnt_Nothing_New()
    {
        // Given a saved cache, and a run that finds the file it knows unchanged
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);
        cache.Hash(file);
        cache.Save(CachePath);
        File.SetLastWriteTimeUtc(CachePath, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var next = HashCache.Load(CachePath);
        next.Hash(file);
        next.Remember(file, Hashing.Of("one"));

        // When that run saves the cache
        next.Save(CachePath);

        // Then the file was not written
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(CachePath));
    }

    [Fact]
    public void Should_Drop_Entries_Of_Files_Gone_That_The_Run_Did_Not_Look_At()
    {
        // Given a saved cache of two files, one of which is then deleted
        var kept = _folder.Write("landing/a.tsv", "one");
        var gone = _folder.Write("landing/b.tsv", "two");
        var cache = HashCache.Load(CachePath);
        cache.Hash(kept);
        cache.Hash(gone);
        cache.Save(CachePath);
        File.Delete(gone);

        // When a run that never asks for the deleted file learns something new and saves
        var next = HashCache.Load(CachePath);
        File.WriteAllText(kept, "one more");
        next.Hash(kept);
        next.Save(CachePath);

        // Then the deleted file's entry is gone and the other one is up to date
        var saved = File.ReadAllText(CachePath);
        Assert.DoesNotContain("b.tsv", saved, StringComparison.Ordinal);
        Assert.Contains(Hashing.Of("one more"), saved, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Read_A_Cache_Written_By_The_Earlier_Serialiser()
    {
        // Given a cache file as the earlier serialiser wrote it, for a file as it is
        var file = _folder.Write("landing/a.tsv", "one");
        var info = new FileInfo(file);
        var earlier = Newtonsoft.Json.JsonConvert.SerializeObject(new Dictionary<string, object>
        {
            [file] = new { Size = info.Length, Ticks = info.LastWriteTimeUtc.Ticks, Sha256 = Hashing.Of("one") },
        });
        _folder.Write(".bedrot/hash-cache.json", earlier);

        // When it is loaded and asked for the file
        var cache = HashCache.Load(CachePath);
        var hash = cache.Hash(file);

        // Then the hash comes from the cache without reading the file
        Assert.Equal(Hashing.Of("one"), hash);
        Assert.Equal(0, cache.FilesRead);
    }

    [Fact]
    public void Should_Say_Null_For_A_Missing_File_And_Forget_It()
    {
        // Given a saved cache that knew a file which was then deleted
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);
        cache.Hash(file);
        cache.Save(CachePath);
        File.Delete(file);

        // When the next run asks for it and saves
        var next = HashCache.Load(CachePath);
        var missing = next.HashIfExists(file);
        next.Save(CachePath);

        // Then there is no hash, and the saved cache no longer lists it
        Assert.Null(missing);
        Assert.DoesNotContain("a.tsv", File.ReadAllText(CachePath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a hash")]
    [InlineData("AB")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Should_Hash_Again_A_File_Whose_Cached_Hash_Is_Not_A_Hash(string cached)
    {
        // Given a cache file whose entry for a file as it is holds something that is not a SHA-256
        var file = _folder.Write("landing/a.tsv", "one");
        var info = new FileInfo(file);
        _folder.Write(".bedrot/hash-cache.json", Newtonsoft.Json.JsonConvert.SerializeObject(new Dictionary<string, object>
        {
            [file] = new { Size = info.Length, Ticks = info.LastWriteTimeUtc.Ticks, Sha256 = cached },
        }));

        // When it is loaded and asked for the file
        var cache = HashCache.Load(CachePath);
        var hash = cache.Hash(file);

        // Then the file is read and its true hash given
        Assert.Equal(Hashing.Of("one"), hash);
        Assert.Equal(1, cache.FilesRead);
    }

    [Theory]
    [InlineData("a.tsv")]
    [InlineData("Sigur Rós 🎵 \"live\".csv")]
    [InlineData("back\\slash.csv")]
    public void Should_Remember_Hashes_Across_Runs_Whatever_The_File_Is_Called(string name)
    {
        // Given a saved cache that hashed a file with that name, and one other
        var files = SavedWith(name, "z.tsv");

        // When the next run loads it and asks again
        var (hashes, read) = AskedByTheNextRun(files);

        // Then both hashes come from the cache, without reading either file
        Assert.Equal((Hashing.Of("one"), Hashing.Of("two")), hashes);
        Assert.Equal(0, read);
    }

    [Fact]
    public void Should_Hash_Again_A_File_Whose_Cached_Hash_Is_Not_A_Hash_In_A_Cache_Laid_Out_One_File_Per_Line()
    {
        // Given a saved cache, one file per line, whose entry for a file as it is then holds an upper-case hash
        var files = SavedWith("a.tsv", "b.tsv");
        var text = File.ReadAllText(CachePath);
        File.WriteAllText(CachePath, text.Replace(Hashing.Of("one"), Hashing.Of("one").ToUpperInvariant(), StringComparison.Ordinal));

        // When it is loaded and asked for both files
        var (hashes, read) = AskedByTheNextRun(files);

        // Then the file with the bad entry is read again, the other is not
        Assert.Equal((Hashing.Of("one"), Hashing.Of("two")), hashes);
        Assert.Equal(1, read);
    }

    /// <summary>Writes two landing files, holding "one" and "two", and saves a cache that hashed both.</summary>
    private (string First, string Second) SavedWith(string first, string second)
    {
        var files = (_folder.Write("landing/" + first, "one"), _folder.Write("landing/" + second, "two"));
        var cache = HashCache.Load(CachePath);
        cache.Hash(files.Item1);
        cache.Hash(files.Item2);
        cache.Save(CachePath);
        return files;
    }

    /// <summary>The hashes a new cache loaded from the saved one gives for both files, and how many files it read to give them.</summary>
    private ((string, string) Hashes, int Read) AskedByTheNextRun((string First, string Second) files)
    {
        var next = HashCache.Load(CachePath);
        var hashes = (next.Hash(files.First), next.Hash(files.Second));
        return (hashes, next.FilesRead);
    }

    [Fact]
    public void Should_Tell_What_It_Holds_For_A_Path_Without_Looking_At_The_File()
    {
        // Given a saved cache that hashed a file, which then changed
        var file = _folder.Write("landing/a.tsv", "one");
        var cache = HashCache.Load(CachePath);
        cache.Hash(file);
        cache.Save(CachePath);
        File.WriteAllText(file, "one two");

        // When the next run asks what the cache holds for it, and for a path never hashed
        var next = HashCache.Load(CachePath);
        var held = next.Cached(file);
        var unknown = next.Cached(_folder.File("landing/b.tsv"));

        // Then it is the entry of the earlier content, given without reading the file; the other is null
        Assert.Equal((3L, Hashing.Of("one")), (held!.Size, held.Sha256));
        Assert.Null(unknown);
        Assert.Equal(0, next.FilesRead);
    }
}
