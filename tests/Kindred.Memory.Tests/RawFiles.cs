using System.Text;

namespace Kindred.Memory.Tests;

/// <summary>Reads a database's files byte for byte, as someone holding the disk could, bypassing SQLite.</summary>
internal static class RawFiles
{
    private static readonly string[] Suffixes = ["", "-wal", "-shm", "-journal"];

    /// <summary>The files (database, log, shared memory, journal) that exist for <paramref name="databasePath"/>.</summary>
    public static IReadOnlyList<string> Of(string databasePath) =>
        [.. Suffixes.Select(suffix => databasePath + suffix).Where(File.Exists)];

    /// <summary>Each file that contains <paramref name="text"/> as UTF-8, with the offset of the first occurrence.</summary>
    public static IReadOnlyList<string> FindUtf8(string databasePath, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var found = new List<string>();
        foreach (var path in Of(databasePath))
        {
            // Shared so the files can be read while the store still has them open, as after a crash.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var offset = copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(needle);
            if (offset >= 0)
            {
                found.Add($"{Path.GetFileName(path)} at byte {offset}");
            }
        }

        return found;
    }
}
