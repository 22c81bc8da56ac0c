global using NUnit.Framework;

// The vector and property tests are pure computations on read-only data: run them on both cores. This assembly is the
// longest of `dotnet test Harness.sln` (about 5 min sequentially), and it finishes last.
[assembly: Parallelizable(ParallelScope.Children)]
[assembly: LevelOfParallelism(2)]
