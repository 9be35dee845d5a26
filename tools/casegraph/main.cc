// Entry point of the casegraph CLI (placeholder until the API lands).
int main() { return 0; }
