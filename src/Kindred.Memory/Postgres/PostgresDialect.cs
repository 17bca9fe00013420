using System.Data.Common;
using Kindred.Memory.Storage;

namespace Kindred.Memory.Postgres;

/// <summary>PostgreSQL's side of the shared statements: times as UTC ticks, lists as arrays.</summary>
internal sealed class PostgresDialect : StoreDialect
{
    public static PostgresDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string Clean(string text) => PostgresDatabase.WithoutNul(text);

    /// <inheritdoc />
    public override void RejectUnstorable(string text, string paramName) =>
        PostgresDatabase.RejectNul(text, paramName);

    /// <inheritdoc />
    public override string CompanionInsertionOrder => "seq";

    /// <inheritdoc />
    public override string TimeType => "BIGINT";

    /// <inheritdoc />
    public override string InIds => "= ANY(@ids)";

    /// <inheritdoc />
    public override string ContainsAnyLike(string column) => $"{column} ILIKE ANY(@likes)";

    /// <inheritdoc />
    public override string SameText(string left, string right) => $"lower({left}) = lower({right})";

    /// <inheritdoc />
    /// <remarks>ILIKE finds the candidates, ignoring case in any script.</remarks>
    public override string TurnsThatMayName => "SELECT id, text FROM turns WHERE companion_id = @c AND text ILIKE ANY(@likes);";

    /// <inheritdoc />
    public override object Time(DateTimeOffset time) => time.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => PostgresDatabase.FromTicks(reader.GetInt64(ordinal));

    /// <inheritdoc />
    public override object Words(IEnumerable<string> words) => words.ToArray();

    /// <inheritdoc />
    public override IReadOnlyList<string> ReadWords(DbDataReader reader, int ordinal) => reader.GetFieldValue<string[]>(ordinal);

    /// <inheritdoc />
    public override object Ids(IEnumerable<long> ids) => ids.ToArray();
}
