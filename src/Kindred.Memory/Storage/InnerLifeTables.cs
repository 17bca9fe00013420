namespace Kindred.Memory.Storage;

/// <summary>The inner life's tables by name, the same in both databases.</summary>
internal static class InnerLifeTables
{
    public static string Name(InnerLifeTable table) => table switch
    {
        InnerLifeTable.Outreach => "inner_outreach",
        InnerLifeTable.Threads => "inner_threads",
        InnerLifeTable.Reflections => "inner_reflections",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Unknown inner-life table."),
    };
}
