namespace Kindred.Memory.Storage;

/// <summary>The errors every store reports the same way.</summary>
internal static class StoreErrors
{
    public static KeyNotFoundException UnknownCompanion(string companionId) =>
        new($"No companion with id '{companionId}' exists in this store.");
}
