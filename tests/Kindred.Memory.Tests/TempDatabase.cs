using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Kindred.Memory.Tests;

/// <summary>A real SQLite file in a fresh temp folder of its own, deleted with everything in it at the end.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "kindred-memory-tests", Guid.NewGuid().ToString("N"));

        // The file lives in a folder that does not exist yet, so every test also proves the store creates it.
        DatabasePath = Path.Combine(Folder, "nested", "kindred.db");
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

    public Task<SqliteCompanionStore> OpenAsync() => OpenAsync(DatabasePath);

    public Task<SqliteCompanionStore> OpenAsync(string path) =>
        SqliteCompanionStore.OpenAsync(path, Time, CancellationToken.None);

    /// <summary>A plain connection that bypasses the store, for arranging and inspecting the file directly.</summary>
    public SqliteConnection OpenRaw(string? path = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path ?? DatabasePath,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
