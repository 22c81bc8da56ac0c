namespace WeightInit.Random;

/// <summary>
/// The seed a random stream receives for one initializer call, shaped like Keras' <c>draw_seed</c>
/// pair <c>[S, k]</c>: the user's seed and the call index of a seed generator (0 for an int seed).
/// </summary>
public readonly record struct SeedPair(ulong Seed, uint Counter);
