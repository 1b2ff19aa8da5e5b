namespace ConvCompare.Bench;

/// <summary>An implementation under measurement, prepared with inputs for one shape and dtype.</summary>
internal interface IBenchSubject : IDisposable
{
    /// <summary>The name reported in the table and JSON: a registered implementation's, or the oracle's.</summary>
    string Impl { get; }

    /// <summary>Runs one pass to completion.</summary>
    void Run(BenchPass pass);
}
