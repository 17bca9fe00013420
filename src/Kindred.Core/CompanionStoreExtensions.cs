namespace Kindred.Core;

/// <summary>Conveniences over <see cref="ICompanionStore"/> that every store gets for free.</summary>
public static class CompanionStoreExtensions
{
    private const int PageSize = 1_000;

    /// <summary>A companion's whole history, oldest first, read page by page.</summary>
    public static async Task<IReadOnlyList<StoredTurn>> GetWholeHistoryAsync(this ICompanionStore store, string companionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = new List<StoredTurn>();
        while (true)
        {
            var page = await store.GetHistoryAsync(companionId, all.Count == 0 ? 0 : all[^1].Id, PageSize, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < PageSize)
            {
                return all;
            }
        }
    }
}
