using System.Diagnostics;
using System.Globalization;

namespace ConvCompare.Limits;

/// <summary>
/// Progress for allowed work that is long: a line saying how much work is coming, then a line every
/// <see cref="DefaultInterval"/> (or the interval given) until it is done, so a long check is never mistaken for a hang.
/// </summary>
internal sealed class LongWork : IDisposable
{
    /// <summary>Work from which progress is shown: about a second of the serial algorithm's scalar loops or more.</summary>
    public const double Threshold = 1e9;

    /// <summary>Time between two progress lines, unless the caller gives another.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly Timer _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly TextWriter _output;
    private readonly string _what;
    private bool _done;

    private LongWork(TextWriter output, string what, TimeSpan interval)
    {
        _output = output;
        _what = what;
        _timer = new Timer(_ => Beat(), null, interval, interval);
    }

    /// <summary>
    /// When <paramref name="cost"/> reaches <see cref="Threshold"/>, writes "<paramref name="what"/>: about N
    /// multiply-adds ..." to <paramref name="output"/> and starts the heartbeat, a line every
    /// <paramref name="interval"/> (default <see cref="DefaultInterval"/>); dispose it when the work ends.
    /// Returns null for short work.
    /// </summary>
    public static LongWork? Announce(TextWriter output, string what, Cost cost, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (cost.Work < Threshold)
            return null;
        var every = interval ?? DefaultInterval;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: about {cost.Work:G3} multiply-adds; a progress line follows every {every.TotalSeconds:0.#} s until it is done"));
        return new LongWork(output, what, every);
    }

    private void Beat()
    {
        lock (_gate)
        {
            if (!_done)
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_what}: still working, {_clock.Elapsed.TotalSeconds:0} s so far"));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
            _done = true;
        _timer.Dispose();
    }
}
