using System.Text;
using Kindred.Core;
using Kindred.Memory.Knowledge;
using Kindred.Memory.Portable;
using Kindred.Memory.Postgres;
using Kindred.Memory.Recall;
using Kindred.Memory.Tests.Recall;
using Kindred.Memory.Vectors;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Kindred.Memory.Tests.Contract;

/// <summary>What only the PostgreSQL store has to show: its schema steps, its sessions, and what forgetting leaves.</summary>
[Collection(UsesPostgres.Name)]
public sealed class PostgresStoreTests(PostgresServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

    private async Task<string> FreshDatabaseAsync() => await server.CreateDatabaseAsync("t_" + Guid.NewGuid().ToString("N"));

    private static async Task<T> QueryAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public void WithoutPostgreSqlInstalledTheTestsFailSayingHowToInstallIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresServer.FindBinDirectory(["/nonexistent/postgresql/bin"]));

        Assert.Contains("PostgreSQL is not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql-15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFreshDatabaseGetsEachSchemaStepOnceWhenItWasApplied()
    {
        var database = await FreshDatabaseAsync();

        await (await PostgresCompanionStore.OpenAsync(database, _time, None)).DisposeAsync();
        _time.Advance(TimeSpan.FromDays(1));
        await (await PostgresCompanionStore.OpenAsync(database, _time, None)).DisposeAsync();

        Assert.Equal(PostgresSchemaMigrations.LatestVersion, await QueryAsync<long>(database, "SELECT count(*) FROM schema_history;"));
        Assert.Equal(_time.GetUtcNow().AddDays(-1).UtcTicks, await QueryAsync<long>(database, "SELECT applied_at FROM schema_history WHERE version = 1;"));
    }

    [Fact]
    public async Task StoresOpeningAFreshDatabaseAtOnceAllSucceedAndMigrateOnce()
    {
        var database = await FreshDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresCompanionStore.OpenAsync(database, _time, None))));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(PostgresSchemaMigrations.LatestVersion, await QueryAsync<long>(database, "SELECT count(*) FROM schema_history;"));
    }

    [Fact]
    public async Task ADatabaseFromANewerKindredIsRefusedAndLeftAsItWas()
    {
        var database = await FreshDatabaseAsync();
        await (await PostgresCompanionStore.OpenAsync(database, _time, None)).DisposeAsync();
        await QueryAsync<long>(database, "INSERT INTO schema_history (version, applied_at) VALUES (99, 0) RETURNING 0::bigint;");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCompanionStore.OpenAsync(database, _time, None));

        Assert.Contains("newer Kindred", error.Message, StringComparison.Ordinal);
        Assert.Equal(PostgresSchemaMigrations.LatestVersion + 1, await QueryAsync<long>(database, "SELECT count(*) FROM schema_history;"));
    }

    [Fact]
    public async Task EverySessionCommitsDurablyEvenWhenTheServerDefaultDoesNot()
    {
        // The test server runs with synchronous_commit = off by default (see PostgresServer).
        Assert.Equal("off", await QueryAsync<string>(server.AdminConnectionString, "SHOW synchronous_commit;"));
        await using var store = await PostgresCompanionStore.OpenAsync(await FreshDatabaseAsync(), _time, None);

        await using var command = store.DataSource.CreateCommand("SHOW synchronous_commit;");

        Assert.Equal("on", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AWriteThatReturnedIsVisibleToAnotherProcess()
    {
        var database = await FreshDatabaseAsync();
        await using var writer = await PostgresCompanionStore.OpenAsync(database, _time, None);
        await using var reader = await PostgresCompanionStore.OpenAsync(database, _time, None);

        await writer.CreateCompanionAsync(Samples.Identity(), None);
        var turn = await writer.AppendTurnAsync(Samples.Turn("hello"), None);
        var batch = await writer.AppendTurnsAsync([Samples.Turn("one"), Samples.Turn("two")], None);
        await writer.SaveTurnVectorsAsync([(turn.Id, VectorCodec.Encode([1f, 2f]))], None);

        Assert.Equal([turn, .. batch], await reader.GetWholeHistoryAsync("c1", None));
        Assert.Equal([turn.Id], (await reader.LoadTurnVectorsAsync("c1", None)).Select(v => v.TurnId));
    }

    [Fact]
    public async Task TextWithANulCharacterIsRefusedClearlyAndNothingIsStored()
    {
        await using var store = await PostgresCompanionStore.OpenAsync(await FreshDatabaseAsync(), _time, None);
        await store.CreateCompanionAsync(Samples.Identity(), None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendTurnAsync(Samples.Turn("embedded\0nul"), None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendTurnsAsync([Samples.Turn("fine"), Samples.Turn("not\0fine")], None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateCompanionAsync(Samples.Identity("c2", "Wr\0en"), None));

        Assert.Contains("U+0000", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetWholeHistoryAsync("c1", None));
        Assert.Null(await store.FindCompanionAsync("c2", None));
    }

    [Fact]
    public async Task AServerThatCannotBeReachedIsNamedWithoutThePassword()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Port = 1, Password = "hunter2-secret", Timeout = 5 }.ToString();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCompanionStore.OpenAsync(unreachable, _time, None));

        Assert.Contains("127.0.0.1:1/postgres", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresCompanionStore.OpenAsync("Host=x;Nonsense Key=1", _time, None));
    }

    [Fact]
    public async Task HybridMemoryFindsByWordsAndMeaningFromVectorsKeptInPostgres()
    {
        await using var store = await PostgresCompanionStore.OpenAsync(await FreshDatabaseAsync(), _time, None);
        await store.CreateCompanionAsync(Samples.Identity(), None);
        var embedder = new WordEmbedder();
        var dog = await store.AppendTurnAsync(Samples.Turn("We adopted a dog called Rex"), None);
        await store.AppendTurnAsync(Samples.Turn("The weather was grey all week"), None);
        using (var memory = new MemoryIndex(store, embedder))
        {
            Assert.Equal(2, await memory.IndexPendingAsync("c1", None));
        }

        // A fresh index loads the vectors back from the database.
        using var reopened = new MemoryIndex(store, embedder);
        var byMeaning = await reopened.SearchAsync("c1", "puppy", 1, DateTimeOffset.MaxValue, None);
        var byWords = await reopened.SearchAsync("c1", "Rex", 1, DateTimeOffset.MaxValue, None);
        Assert.True(await reopened.ForgetTurnAsync("c1", dog.Id, None));

        Assert.Equal(dog.Id, byMeaning.Single().Turn.Id);
        Assert.StartsWith("close in meaning", byMeaning[0].Why, StringComparison.Ordinal);
        Assert.Equal(dog.Id, byWords.Single().Turn.Id);
        Assert.Contains("words", byWords[0].Why, StringComparison.Ordinal);
        Assert.Empty(await reopened.SearchAsync("c1", "puppy Rex", 10, DateTimeOffset.MaxValue, None));
        using var afterForgetting = new MemoryIndex(store, embedder);
        Assert.Empty(await afterForgetting.SearchAsync("c1", "puppy Rex", 10, DateTimeOffset.MaxValue, None));
    }

    [Fact]
    public async Task ACompanionMovesFromSqliteToPostgresAndExportsBackByteForByte()
    {
        using var file = new TempDatabase();
        await using var sqlite = await file.OpenAsync();
        await sqlite.CreateCompanionAsync(Samples.Identity(wokeAt: Samples.WokeAt.AddTicks(7)), None);
        await sqlite.SetPersonNameAsync("c1", "Sam", None);
        await sqlite.AppendTurnAsync(Samples.Turn("Hello — I'm Sam. 🌱 \"quoted\" \n new line", at: Samples.WokeAt.AddTicks(1_234_567)), None);
        await sqlite.AppendTurnAsync(Samples.Turn("A reply cut off", speaker: Speaker.Companion, status: TurnStatus.Interrupted, sessionId: "s2"), None);
        using var exported = new MemoryStream();
        await MemoryExport.ExportAsync(sqlite, "c1", exported, None);

        await using var postgres = await PostgresCompanionStore.OpenAsync(await FreshDatabaseAsync(), _time, None);
        var (id, count) = await MemoryExport.ImportAsync(postgres, new MemoryStream(exported.ToArray()), null, None);
        using var again = new MemoryStream();
        await MemoryExport.ExportAsync(postgres, id, again, None);

        Assert.Equal(2, count);
        Assert.Equal(Encoding.UTF8.GetString(exported.ToArray()), Encoding.UTF8.GetString(again.ToArray()));
    }

    [Fact]
    public async Task ForgettingLeavesNoRowLiveOrDeadThatHoldsTheWords()
    {
        const string Secret = "My locker code is zebra7f3a9, keep it between us.";
        var database = await FreshDatabaseAsync();
        await using var store = await PostgresCompanionStore.OpenAsync(database, _time, None);
        await store.CreateCompanionAsync(Samples.Identity("c1"), None);
        await store.CreateCompanionAsync(Samples.Identity("secret", "Xylo4b2c8"), None);
        await store.AppendTurnsAsync([.. Enumerable.Range(0, 300).Select(i => Samples.Turn(Corpus.Distractor(i)))], None);
        var turn = await store.AppendTurnAsync(Samples.Turn(Secret), None);
        var vector = VectorCodec.Encode([1234.5678f, -8765.4321f, 42.4242f]);
        await store.SaveTurnVectorsAsync([(turn.Id, vector)], None);
        await store.AppendTurnAsync(Samples.Turn(Secret, "secret"), None);
        await store.AppendTurnsAsync([.. Enumerable.Range(0, 300).Select(i => Samples.Turn(Corpus.Distractor(i)))], None);
        await QueryAsync<string>(database, "CREATE EXTENSION IF NOT EXISTS pageinspect; SELECT '';");
        Assert.Equal(2L, await TuplesHoldingAsync(database, "turns", Encoding.UTF8.GetBytes("7f3a9")));

        Assert.True(await store.ForgetTurnAsync("c1", turn.Id, None));
        Assert.True(await store.ForgetCompanionAsync("secret", None));

        // A deleted row stays in its page, readable, until VACUUM removes it; the store vacuums after forgetting.
        Assert.Equal(0L, await TuplesHoldingAsync(database, "turns", Encoding.UTF8.GetBytes("7f3a9")));
        Assert.Equal(0L, await TuplesHoldingAsync(database, "turn_vectors", vector));
        Assert.Equal(0L, await TuplesHoldingAsync(database, "companions", Encoding.UTF8.GetBytes("4b2c8")));
        Assert.Equal(600, (await store.GetRelationshipAsync("c1", None)).TurnCount);
    }

    [Fact]
    public async Task ForgettingAPersonLeavesNoRowLiveOrDeadThatNamesThem()
    {
        const string Name = "Xandrix7q4w";
        var database = await FreshDatabaseAsync();
        await using var store = await PostgresCompanionStore.OpenAsync(database, _time, None);
        await store.CreateCompanionAsync(Samples.Identity(), None);
        await store.AppendTurnsAsync([.. Enumerable.Range(0, 200).Select(i => Samples.Turn(Corpus.Distractor(i)))], None);
        var told = await store.AppendTurnAsync(Samples.Turn($"My brother {Name} moved to Oslo."), None);
        await store.ApplyExtractionAsync(
            "c1",
            [told],
            new Extraction([new ExtractedPerson(Name, [], "brother", told.Id)], [new ExtractedFact(Name, "home", "Oslo", $"{Name} lives in Oslo.", Name, told.Id)], KnowledgeSource.BuiltIn),
            None);
        await store.SaveSummaryAsync(new SessionSummary("c1", "s1", $"They talked about {Name}.", told.Id, told.Id, Samples.WokeAt, KnowledgeSource.BuiltIn), None);
        await store.AddReflectionAsync("c1", null, $"I hope {Name} likes Oslo.", Samples.WokeAt, None);
        await Kindred.Memory.Tests.Knowledge.InnerTraces.PlantAsync(store, "c1", Name);
        await QueryAsync<string>(database, "CREATE EXTENSION IF NOT EXISTS pageinspect; SELECT '';");
        var needle = Encoding.UTF8.GetBytes("7q4w");
        string[] tables = ["turns", "people", "facts", "summaries", "reflections", "inner_outreach", "inner_threads", "inner_reflections", "inner_persona_versions"];
        foreach (var table in tables)
        {
            Assert.True(await TuplesHoldingAsync(database, table, needle) > 0, $"{table} should hold the name before forgetting");
        }

        Assert.Equal(1, await store.ForgetPersonAsync("c1", Assert.Single(await store.GetPeopleAsync("c1", None)).Id, None));

        foreach (var table in tables)
        {
            Assert.Equal(0L, await TuplesHoldingAsync(database, table, needle));
        }

        Assert.Equal(200, (await store.GetRelationshipAsync("c1", None)).TurnCount);
    }

    // Every tuple in the table's pages, live or dead, whose bytes contain the needle (pageinspect reads the raw pages).
    private static async Task<long> TuplesHoldingAsync(string database, string table, byte[] needle)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM generate_series(0, (pg_relation_size(@table::regclass) / current_setting('block_size')::int - 1)::int) AS page, " +
            "LATERAL heap_page_items(get_raw_page(@table, page)) AS item WHERE item.t_data IS NOT NULL AND position(@needle IN item.t_data) > 0;",
            connection);
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("needle", needle);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
