DROP TABLE never_applied;
