namespace Kindred.Core.Inner;

/// <summary>Wall-clock times in the person's time zone, converted to instants correctly across daylight-saving changes.</summary>
public static class LocalClock
{
    /// <summary>The person's local date and time at <paramref name="instant"/>.</summary>
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTime(instant, zone).DateTime;
    }

    /// <summary>
    /// The instant at which the person's clock shows <paramref name="local"/>. A time skipped when clocks go forward
    /// (02:30 on the spring-forward night) is moved forward by the gap, as a wall clock would show it; a time that
    /// happens twice when clocks go back is taken the first time.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            // Find the gap's size from the offsets either side of it.
            var before = zone.GetUtcOffset(wall.AddHours(-3));
            var after = zone.GetUtcOffset(wall.AddHours(3));
            wall = wall + (after - before);
            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        if (zone.IsAmbiguousTime(wall))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(wall);
            return new DateTimeOffset(wall, offsets.Max());
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>The instant the person's local day containing <paramref name="instant"/> began.</summary>
    public static DateTimeOffset StartOfLocalDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToInstant(ToLocal(instant, zone).Date, zone);

    /// <summary>Finds a time zone by IANA or Windows id.</summary>
    /// <exception cref="ArgumentException">No such time zone; the message names it.</exception>
    public static TimeZoneInfo FindZone(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Unknown time zone '{id}'; use an IANA name such as Europe/London or America/New_York.", ex);
        }
    }
}
