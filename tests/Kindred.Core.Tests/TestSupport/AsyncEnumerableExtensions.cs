namespace Kindred.Core.Tests.TestSupport;

internal static class AsyncEnumerableExtensions
{
    /// <summary>Reads a stream to its end.</summary>
    public static async Task<List<string>> CollectAsync(this IAsyncEnumerable<string> stream)
    {
        var items = new List<string>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        return items;
    }
}
