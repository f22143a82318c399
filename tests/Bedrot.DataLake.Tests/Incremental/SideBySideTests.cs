using Bedrot.DataLake.Incremental;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>Work over independent items, two at a time, that ends as a loop over them in order would.</summary>
public sealed class SideBySideTests
{
    [Fact]
    public void Should_Give_The_Results_In_The_Items_Order()
    {
        // Given items whose work takes longer the earlier they come
        var items = Enumerable.Range(0, 40).ToList();

        // When they are mapped two at a time
        var results = SideBySide.Map(items, 2, i =>
        {
            Thread.SpinWait((40 - i) * 1000);
            return i * i;
        });

        // Then each result is in its item's place
        Assert.Equal(items.Select(i => i * i), results);
    }

    [Fact]
    public void Should_Throw_The_Exception_Of_The_First_Failing_Item_In_Order_As_It_Is()
    {
        // Given items of which the 7th and the 31st fail, the 31st sooner
        var items = Enumerable.Range(0, 40).ToList();

        // When they are mapped two at a time
        var error = Assert.Throws<InvalidDataException>(() => SideBySide.Map(items, 2, i =>
        {
            if (i == 7)
            {
                Thread.Sleep(50);
                throw new InvalidDataException("item 7");
            }

            return i == 31 ? throw new InvalidDataException("item 31") : i;
        }));

        // Then the 7th's own exception is thrown, not an aggregate of both
        Assert.Equal("item 7", error.Message);
    }
}
