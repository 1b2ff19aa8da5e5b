namespace ConvCompare.Implementations;

/// <summary>The floating-point type an implementation computes in.</summary>
public enum Conv2dDtype
{
    /// <summary>IEEE binary32 (<see cref="float"/>), unit roundoff 2^-24.</summary>
    Float32,

    /// <summary>IEEE binary64 (<see cref="double"/>), unit roundoff 2^-53.</summary>
    Float64,
}
