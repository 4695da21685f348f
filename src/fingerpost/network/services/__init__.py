"""Every write in the network, one module per part: people, conversations,
resources, boards, and the board import."""
