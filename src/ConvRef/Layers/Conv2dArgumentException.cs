namespace ConvRef;

/// <summary>
/// A convolution argument broke a rule. <see cref="Exception.Message"/> is one sentence naming the
/// parameter and the rule (for example "groups=3 does not divide in_channels=4"), fit to show a user
/// as is; <see cref="ArgumentException.ParamName"/> names the offending argument for code.
/// </summary>
public sealed class Conv2dArgumentException : ArgumentException
{
    private readonly string _sentence;

    /// <summary>Creates the exception from the sentence and the parameter it is about.</summary>
    public Conv2dArgumentException(string message, string paramName)
        : base(message, paramName) => _sentence = message;

    /// <summary>The sentence alone, without the " (Parameter 'x')" suffix <see cref="ArgumentException"/> appends.</summary>
    public override string Message => _sentence;
}
