using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// Watches a measured stretch cheaply: /proc/stat for the machine's busy share, /proc/PID/stat CPU times of the
/// daemons, this server's PostgreSQL processes and the bench itself, and (PostgreSQL) pg_stat_activity's wait events
/// every 250 ms over one connection of its own.
/// </summary>
internal sealed class ResourceSampler : IAsyncDisposable
{
    private const double ClockTicks = 100.0; // USER_HZ on Linux
    private readonly Func<IReadOnlyList<int>> _daemonPids;
    private readonly int? _postmaster;
    private readonly string? _connectionString;
    private readonly string _brokerMarker;
    private readonly Dictionary<string, int> _waits = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly (long Busy, long Total) _startCpu;
    private readonly Dictionary<int, (string Group, long Ticks)> _startTicks;
    private readonly Dictionary<int, (string Group, long Ticks)> _lastTicks = [];
    private Task _loop = Task.CompletedTask;
    private int _samples;

    private ResourceSampler(Func<IReadOnlyList<int>> daemonPids, int? postmaster, string? connectionString, string brokerMarker)
    {
        _brokerMarker = brokerMarker;
        _daemonPids = daemonPids;
        _postmaster = postmaster;
        _connectionString = connectionString;
        _startCpu = MachineCpu();
        _startTicks = ProcessTicks();
    }

    /// <param name="brokerMarker">A path in the bench's RabbitMQ node's command line (its scratch folder), to tell its beam.smp from others.</param>
    public static ResourceSampler Start(Func<IReadOnlyList<int>> daemonPids, int? postmaster, string? connectionString, string brokerMarker)
    {
        var sampler = new ResourceSampler(daemonPids, postmaster, connectionString, brokerMarker);
        sampler._loop = sampler.LoopAsync(sampler._stop.Token);
        return sampler;
    }

    public async Task<ResourceUsage> StopAsync()
    {
        var end = ProcessTicks();
        var endCpu = MachineCpu();
        await _stop.CancelAsync();
        await _loop;
        var cpu = new Dictionary<string, double>();
        // A process that exited before the end keeps its last sampled reading.
        foreach (var (pid, last) in _lastTicks)
        {
            end.TryAdd(pid, last);
        }

        foreach (var (pid, (group, ticks)) in end)
        {
            var before = _startTicks.TryGetValue(pid, out var s) ? s.Ticks : 0;
            cpu[group] = cpu.GetValueOrDefault(group) + (ticks - before) / ClockTicks;
        }

        var busy = endCpu.Total > _startCpu.Total ? 100.0 * (endCpu.Busy - _startCpu.Busy) / (endCpu.Total - _startCpu.Total) : double.NaN;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        return new ResourceUsage(_elapsed.Elapsed.TotalSeconds, busy, cpu, new Dictionary<string, int>(_waits), _samples, load);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            if (_connectionString is not null)
            {
                connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(250, cancellationToken);
                foreach (var (pid, reading) in ProcessTicks())
                {
                    _lastTicks[pid] = reading;
                }

                _samples++;
                if (connection is null)
                {
                    continue;
                }

                await using var command = new NpgsqlCommand(
                    """
                    SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU'), count(*)::int FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1
                    """, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = reader.GetString(0);
                    _waits[key] = _waits.GetValueOrDefault(key) + reader.GetInt32(1);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static (long Busy, long Total) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4]; // idle + iowait
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }

    private Dictionary<int, (string Group, long Ticks)> ProcessTicks()
    {
        var result = new Dictionary<int, (string, long)>();
        var daemons = _daemonPids().ToHashSet();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(rest[1], CultureInfo.InvariantCulture);
                var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                string? group = null;
                if (daemons.Contains(pid))
                {
                    group = "carrotd";
                }
                else if (_postmaster is { } pm && (pid == pm || ppid == pm))
                {
                    group = "postgres";
                }
                else if (pid == Environment.ProcessId)
                {
                    group = "bench";
                }
                else if (stat.Contains("(beam.smp)", StringComparison.Ordinal) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(_brokerMarker, StringComparison.Ordinal))
                {
                    group = "rabbitmq";
                }

                if (group is not null)
                {
                    result[pid] = (group, ticks);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while it was read.
            }
        }

        return result;
    }
}
