namespace Kindred.Memory.Tests;

public sealed class MigrationTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AFreshDatabaseGetsTheLatestSchemaVersionAndRecordsWhen()
    {
        await (await _db.OpenAsync()).DisposeAsync();

        using var raw = _db.OpenRaw();
        Assert.Equal(SchemaMigrations.LatestVersion, await SchemaMigrations.ReadVersionAsync(raw, null, None));
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT version, applied_at FROM schema_history ORDER BY version;";
        using var reader = command.ExecuteReader();
        for (var version = 1; version <= SchemaMigrations.LatestVersion; version++)
        {
            Assert.True(reader.Read());
            Assert.Equal(version, reader.GetInt32(0));
            Assert.Equal(_db.Time.GetUtcNow(), DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.False(reader.Read());
    }

    [Fact]
    public async Task ReopeningAnUpToDateDatabaseAppliesNothingAgain()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        _db.Time.Advance(TimeSpan.FromDays(1));

        await (await _db.OpenAsync()).DisposeAsync();

        using var raw = _db.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_history;";
        Assert.Equal((long)SchemaMigrations.LatestVersion, command.ExecuteScalar());
    }

    [Fact]
    public async Task ADatabaseFromANewerKindredIsRefusedAndLeftUntouched()
    {
        var future = SchemaMigrations.LatestVersion + 1;
        Directory.CreateDirectory(Path.GetDirectoryName(_db.DatabasePath)!);
        using (var raw = _db.OpenRaw())
        {
            using var command = raw.CreateCommand();
            command.CommandText = $"CREATE TABLE from_the_future (x INTEGER); PRAGMA user_version = {future};";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(_db.OpenAsync);

        Assert.Contains("newer Kindred", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{future}", error.Message, StringComparison.Ordinal);
        using var after = _db.OpenRaw();
        Assert.Equal(future, await SchemaMigrations.ReadVersionAsync(after, null, None));
        using var journal = after.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("delete", journal.ExecuteScalar());
    }

    [Fact]
    public async Task TurnsStoredUnderTheFullTextIndexOutliveItsRemoval()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.DatabasePath)!);
        using (var raw = _db.OpenRaw())
        {
            // Step 5 is the last schema that had the full-text index (step 2) and its triggers.
            await SchemaMigrations.MigrateAsync(raw, _db.Time, targetVersion: 5, None);
            using var command = raw.CreateCommand();
            command.CommandText =
                "INSERT INTO companions (id, name, woke_at, persona, traits) VALUES ('c1', 'Wren', $at, 'p', '[]');" +
                "INSERT INTO turns (companion_id, session_id, speaker, text, at, status) VALUES " +
                "('c1', 's1', 0, 'We should plan the trip to Kyoto.', $at, 0)," +
                "('c1', 's1', 1, 'Kyoto in autumn would be lovely.', $at, 0);";
            command.Parameters.AddWithValue("$at", StoredTime.Format(Samples.WokeAt));
            command.ExecuteNonQuery();
        }

        await using var store = await _db.OpenAsync();
        var appended = await store.AppendTurnAsync(Samples.Turn("Kyoto tickets are booked!"), None);
        Assert.True(await store.ForgetTurnAsync("c1", 1, None));

        Assert.Equal([2L, appended.Id], (await store.GetHistoryAsync("c1", 0, 10, None)).Select(turn => turn.Id));
        var leftovers = await store.ReadAsync(
            async connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'turns_fts%';";
                return (long)(await command.ExecuteScalarAsync(None))!;
            },
            None);
        Assert.Equal(0L, leftovers);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":memory:")]
    public async Task OpeningWithoutAFilePathIsRejected(string path)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _db.OpenAsync(path));
    }
}
